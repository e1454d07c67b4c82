import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DomainError } from '@baas/errors';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { createOrReplay, legacyRequestHash, requestFingerprint, type CreateOrReplayOptions } from '../src/index';

/** A creating mutation's table: the id is the client-chosen key, the slug another unique value. */
type Row = { id: string; tenant_id: string; slug: string; request_hash: string };

let db: TestDatabase;
let pool: pg.Pool;

before(async () => {
  db = await createTestDatabase({ domains: [] });
  pool = new pg.Pool({ connectionString: db.url, max: 24 });
  await pool.query('CREATE TABLE thing (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, slug text NOT NULL UNIQUE, request_hash text NOT NULL)');
});
after(async () => {
  await pool?.end();
  await db?.drop();
});

/** BEGIN ... COMMIT on one pooled connection: the caller's transaction. */
async function transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

type Request = { id: string; tenantId: string; slug: string; onConflict?: boolean };

function createThing(req: Request, extra: Partial<CreateOrReplayOptions<Row, pg.PoolClient>> = {}) {
  const hash = requestFingerprint('thing/v1', { tenantId: req.tenantId, slug: req.slug });
  return createOrReplay<Row, pg.PoolClient>({
    hash,
    storedHash: (row) => row.request_hash,
    scope: (row) => row.tenant_id === req.tenantId,
    transaction,
    find: async (tx) => (await tx.query<Row>('SELECT * FROM thing WHERE id = $1', [req.id])).rows[0],
    insert: async (tx) => {
      const conflict = req.onConflict ? 'ON CONFLICT (id) DO NOTHING' : '';
      return (await tx.query<Row>(`INSERT INTO thing (id, tenant_id, slug, request_hash) VALUES ($1, $2, $3, $4) ${conflict} RETURNING *`, [req.id, req.tenantId, req.slug, hash])).rows[0];
    },
    ...extra,
  });
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof DomainError ? error.code : ((error as { code?: string }).code ?? String(error))),
  );
const rowsWithId = async (id: string) => Number((await pool.query('SELECT count(*) FROM thing WHERE id = $1', [id])).rows[0].count);

describe('createOrReplay against PostgreSQL', () => {
  for (const [onConflict, insertFirst] of [[false, false], [true, false], [true, true]] as const) {
    it(`N concurrent calls with one key make one row and N-1 replays (${onConflict ? 'ON CONFLICT DO NOTHING' : 'unique violation'}${insertFirst ? ', insert first' : ''})`, async () => {
      const req = { id: randomUUID(), tenantId: randomUUID(), slug: `s-${randomUUID()}`, onConflict };
      const n = 16;
      const outcomes = await Promise.all(Array.from({ length: n }, () => createThing(req, { insertFirst })));
      assert.equal(outcomes.filter((o) => o.status === 'CREATED').length, 1);
      assert.equal(outcomes.filter((o) => o.status === 'REPLAYED').length, n - 1);
      assert.ok(outcomes.every((o) => o.row.id === req.id && o.row.slug === req.slug));
      assert.equal(await rowsWithId(req.id), 1);
    });
  }

  it('answers IDEMPOTENCY_KEY_REUSED to another request under the key, concurrently or later, and writes nothing', async () => {
    const tenantId = randomUUID();
    const id = randomUUID();
    const requests = Array.from({ length: 8 }, (_, i) => ({ id, tenantId, slug: `s-${i}-${randomUUID()}` }));
    const codes = await Promise.all(requests.map((req) => codeOf(createThing(req))));
    assert.equal(codes.filter((c) => c === 'OK').length, 1);
    assert.deepEqual(codes.filter((c) => c !== 'OK'), Array(7).fill('IDEMPOTENCY_KEY_REUSED'));
    const stored = (await pool.query<Row>('SELECT * FROM thing WHERE id = $1', [id])).rows[0]!;
    assert.equal(await codeOf(createThing({ id, tenantId, slug: 'something-else' })), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal((await createThing({ id, tenantId, slug: stored.slug })).status, 'REPLAYED');
    assert.equal(await rowsWithId(id), 1);
  });

  it("never replays another tenant's row, even for the same request", async () => {
    const req = { id: randomUUID(), tenantId: randomUUID(), slug: `s-${randomUUID()}` };
    await createThing(req);
    const intruder = { ...req, tenantId: randomUUID() };
    // The intruder's fingerprint could be made to match; the scope is checked first.
    const sameHash = { hash: requestFingerprint('thing/v1', { tenantId: req.tenantId, slug: req.slug }) };
    assert.equal(await codeOf(createThing(intruder, sameHash)), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await codeOf(createThing(intruder, { ...sameHash, outOfScope: () => new DomainError('FORBIDDEN') })), 'FORBIDDEN');
    const global = await createThing(intruder, { ...sameHash, scope: 'global' });
    assert.equal(global.status, 'REPLAYED', "'global' is for keys that belong to no tenant");
  });

  it('rethrows a unique violation of another value (not the key) for the caller to name', async () => {
    const first = { id: randomUUID(), tenantId: randomUUID(), slug: `s-${randomUUID()}` };
    await createThing(first);
    assert.equal(await codeOf(createThing({ ...first, id: randomUUID() })), '23505');
  });

  it('replays rows stored with a fingerprint of an older formula when it is accepted', async () => {
    const req = { id: randomUUID(), tenantId: randomUUID(), slug: `s-${randomUUID()}` };
    const legacy = legacyRequestHash([req.tenantId, req.slug]);
    await pool.query('INSERT INTO thing (id, tenant_id, slug, request_hash) VALUES ($1, $2, $3, $4)', [req.id, req.tenantId, req.slug, legacy]);
    assert.equal(await codeOf(createThing(req)), 'IDEMPOTENCY_KEY_REUSED');
    const replayed = await createThing(req, { acceptedHashes: [legacy] });
    assert.equal(replayed.status, 'REPLAYED');
    assert.equal(replayed.row.request_hash, legacy);
  });

  it('runs the transaction again after a serialization failure, up to `attempts` times', async () => {
    const req = { id: randomUUID(), tenantId: randomUUID(), slug: `s-${randomUUID()}` };
    let runs = 0;
    const failingOnce = async <T>(work: (tx: pg.PoolClient) => Promise<T>) =>
      transaction(async (tx) => {
        if (++runs === 1) await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$`);
        return work(tx);
      });
    assert.equal((await createThing(req, { transaction: failingOnce })).status, 'CREATED');
    assert.equal(runs, 2);
    const alwaysFailing = async <T>(work: (tx: pg.PoolClient) => Promise<T>) =>
      transaction(async (tx) => {
        runs++;
        await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$`);
        return work(tx);
      });
    runs = 0;
    assert.equal(await codeOf(createThing({ ...req, id: randomUUID() }, { transaction: alwaysFailing, attempts: 2 })), '40001');
    assert.equal(runs, 2);
  });

  it('works without a transaction (the insert may run its own)', async () => {
    const req = { id: randomUUID(), tenantId: randomUUID(), slug: `s-${randomUUID()}` };
    const direct = async <T>(work: (tx: pg.PoolClient) => Promise<T>) => work(pool as unknown as pg.PoolClient);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => createThing(req, { transaction: direct })));
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['CREATED', 'REPLAYED', 'REPLAYED', 'REPLAYED', 'REPLAYED', 'REPLAYED']);
  });
});
