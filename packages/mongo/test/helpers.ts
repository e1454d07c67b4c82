import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { MongoClient } from 'mongodb';
import { createLogger, type Logger } from '@baas/observability';

export const MONGO_URL = 'mongodb://127.0.0.1:27017';

/** A database name no other test file or run shares; the test drops it afterwards. */
export function uniqueDatabase(): string {
  return `mongo_test_${randomBytes(6).toString('hex')}`;
}

/** A logger whose lines are kept in memory, so tests can read the warnings. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ service: 'mongo-test', level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

export function adminClient(): Promise<MongoClient> {
  return new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5000 }).connect();
}

/** A TCP port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
