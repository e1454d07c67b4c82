import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type pg from 'pg';
import { createPool } from '@baas/db';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import { LedgerWriter } from '../src/workers/ledger-writer';
import { checkInvariants } from './helpers/history';
import { createLedgerAccounts, single } from './helpers/ledger-db';
import { ACCOUNT_COLUMNS, accountFromRow, type AccountRow } from '../src/store/ledger-account-store';

/**
 * A TCP proxy in front of the real PostgreSQL that can drop every connection and turn new ones
 * away, as a server restart does ("the database system is shutting down"; then nothing listens).
 */
async function cuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
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
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    async close() {
      down = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Issue 10 item 21: a PostgreSQL restart made the ledger process exit (a pool.connect() rejection
 * outside any try, unhandled). The writer must settle every caller, never leave a rejection
 * unhandled, and commit again once the database is back.
 */
describe('ledger writer: PostgreSQL goes away under load', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let pool: pg.Pool;
  let direct: pg.Pool;
  let writer: LedgerWriter;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    db = await createTestDatabase({ domains: ['ledger'] });
    const url = new URL(db.url);
    proxy = await cuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    pool = createPool(url.toString(), { max: 6, connectionTimeoutMillis: 5_000 });
    direct = createPool(db.url, { max: 2 });
    writer = new LedgerWriter({ pool, logger: createLogger({ service: 'ledger-test', level: 'silent' }) });
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await writer?.close();
    await pool?.end();
    await direct?.end();
    await proxy?.close();
    await db?.drop();
  });

  it('settles every caller through the outage, leaves no rejection unhandled, and commits again afterwards', { timeout: 60_000 }, async () => {
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await createLedgerAccounts(direct, ids.map((id) => ({ id, tenantId: null, customerId: null, currency: 'BRL', code: 1, flags: 0 })));
    const [a, b, c] = ids as [string, string, string];
    const created = new Set<string>();

    // A steady load: 24 callers each submitting one transfer after another, so batches of several
    // jobs are in flight (and fall back to committing each job alone) when the connections drop.
    let stop = false;
    let ok = 0;
    let failed = 0;
    const worker = async (w: number) => {
      while (!stop) {
        try {
          for (const r of await writer.submit([single(w % 2 ? a : b, c, 1n)])) if (r.status === 'CREATED') created.add(r.id);
          ok += 1;
        } catch {
          failed += 1;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    };
    const until = async (what: string, check: () => boolean) => {
      for (let i = 0; i < 3000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(check(), what);
    };
    const workers = Array.from({ length: 24 }, (_, w) => worker(w));
    for (let round = 0; round < 4; round++) {
      const okBefore = ok;
      await until(`round ${round}: commits under load`, () => ok >= okBefore + 50);
      const failedBefore = failed;
      proxy.cut();
      await until(`round ${round}: the outage fails calls (they are not left hanging)`, () => failed >= failedBefore + 24);
      proxy.restore();
      const okAfter = ok;
      await until(`round ${round}: the same writer commits again, by itself`, () => ok >= okAfter + 50);
    }
    stop = true;
    await Promise.all(workers);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');

    // Whatever was reported committed is in the database, and the books balance.
    const stored = await direct.query<{ id: string }>('SELECT id FROM ledger.transfer');
    const storedIds = new Set(stored.rows.map((r) => r.id));
    for (const id of created) assert.ok(storedIds.has(id), `reported transfer ${id} is stored`);
    const rows = await direct.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger.ledger_account`);
    assert.deepEqual(checkInvariants(rows.rows.map(accountFromRow)), []);
    assert.equal(rows.rows.map(accountFromRow).find((x) => x.id === c)!.creditsPosted, BigInt(storedIds.size));
  });
});
