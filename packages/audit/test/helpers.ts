import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import net from 'node:net';
import { createMemoryLogger } from '@baas/observability';

export const MONGO_URL = 'mongodb://127.0.0.1:27017';

/** A database name no other test file or run shares. */
export function uniqueDatabase(): string {
  return `audit_test_${randomBytes(6).toString('hex')}`;
}

/** A logger whose lines are kept in memory, so tests can read what the audit log warned about. */
export const memoryLogger = () => createMemoryLogger('audit-test');

/** A client for checking what the audit log wrote, and for dropping the test database. */
export function adminClient(): Promise<MongoClient> {
  return new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5000 }).connect();
}

/** A TCP port nothing listens on (taken from the OS, then released). */
export { freePort as closedPort } from '@baas/testing';

export async function waitFor(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A TCP proxy in front of FerretDB that, while `loseInsertAcks` is on, forwards insert commands
 * but cuts the connection instead of returning the server's answer: the write happens, the client
 * sees a network error (a lost acknowledgement), exactly the case a retried batch must survive.
 */
export async function flakyProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const state = { loseInsertAcks: false, cutInserts: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let doomed = false;
    client.on('data', (chunk) => {
      if (state.loseInsertAcks && chunk.includes('insert')) doomed = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (doomed) {
        state.cutInserts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    state,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
