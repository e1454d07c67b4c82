// The fencing and recovery contract against the real PostgreSQL: a scratch saga table and a store
// implementing the port over it (the column contract a subgraph's store follows: fence bumped by
// every claim, every write conditional on it, lease_until doubling as the next attempt time).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { createSagaEngine, done, type SagaChange, type SagaDefinition, type SagaRecord, type SagaStore } from '../src/index';
import { silent } from './memory-store';

type Rec = SagaRecord;
let db: TestDatabase;
let pool: pg.Pool;

const FINAL = `status IN ('SUCCEEDED', 'FAILED', 'COMPENSATED')`;
const rec = (r: Record<string, unknown>): Rec => ({ id: r.id as string, kind: r.kind as string, status: r.status as Rec['status'], step: (r.step as string | null) ?? null, failureCode: (r.failure_code as string | null) ?? null, fence: Number(r.fence) });
const one = async (sql: string, params: unknown[]) => ((await pool.query(sql, params)).rows[0] as Record<string, unknown> | undefined) ?? null;

const store: SagaStore<Rec> = {
  find: async (id) => (await one('SELECT * FROM saga WHERE id = $1', [id]).then((r) => (r ? rec(r) : null))),
  claim: async (id, leaseMs) =>
    one(`UPDATE saga SET fence = fence + 1, lease_until = now() + $2 * interval '1 ms' WHERE id = $1 AND NOT ${FINAL} AND (lease_until IS NULL OR lease_until < now()) RETURNING *`, [id, leaseMs]).then((r) => (r ? rec(r) : null)),
  save: async (saga, change: SagaChange, leaseMs) => {
    const next = { ...saga, ...change };
    const r = await one(
      `UPDATE saga SET status = $3, step = $4, failure_code = $5,
         lease_until = CASE WHEN $3 IN ('SUCCEEDED', 'FAILED', 'COMPENSATED') THEN NULL ELSE now() + $6 * interval '1 ms' END
       WHERE id = $1 AND fence = $2 RETURNING *`,
      [saga.id, saga.fence, next.status, next.step, next.failureCode, leaseMs],
    );
    return r ? rec(r) : null;
  },
  renew: async (saga, leaseMs) => one(`UPDATE saga SET lease_until = now() + $3 * interval '1 ms' WHERE id = $1 AND fence = $2 AND NOT ${FINAL} RETURNING *`, [saga.id, saga.fence, leaseMs]).then((r) => (r ? rec(r) : null)),
  release: async (saga, retryAt) => void (await pool.query('UPDATE saga SET lease_until = $3 WHERE id = $1 AND fence = $2', [saga.id, saga.fence, retryAt])),
  due: async (limit) => (await pool.query(`SELECT id FROM saga WHERE NOT ${FINAL} AND (lease_until IS NULL OR lease_until < now()) ORDER BY id LIMIT $1`, [limit])).rows.map((r) => r.id as string),
};

/** Each step inserts a row into `effect` (no conflict handling: a step run twice shows as two rows). */
const effect = (name: string, hook?: (saga: Rec) => Promise<void>) => ({
  name,
  async run(saga: Rec) {
    await hook?.(saga);
    await pool.query('INSERT INTO effect (saga_id, step) VALUES ($1, $2)', [saga.id, name]);
    return done<Rec>();
  },
});
const effects = async (id: string) => (await pool.query('SELECT step FROM effect WHERE saga_id = $1 ORDER BY seq', [id])).rows.map((r) => r.step as string);
const newSaga = async () => {
  const id = randomUUID();
  await pool.query(`INSERT INTO saga (id, kind, status) VALUES ($1, 'K', 'RUNNING')`, [id]);
  return id;
};

before(async () => {
  db = await createTestDatabase({ domains: [] });
  pool = new pg.Pool({ connectionString: db.url, max: 12 });
  await pool.query(`CREATE TABLE saga (id uuid PRIMARY KEY, kind text NOT NULL, status text NOT NULL, step text, failure_code text, fence int NOT NULL DEFAULT 0, lease_until timestamptz)`);
  await pool.query(`CREATE TABLE effect (seq bigserial PRIMARY KEY, saga_id uuid NOT NULL, step text NOT NULL)`);
});
after(async () => {
  await pool?.end();
  await db?.drop();
});

describe('saga engine on PostgreSQL', () => {
  it('fencing: a worker stalled past its lease writes nothing once another claimed the saga', async () => {
    const id = await newSaga();
    let stall: () => void = () => undefined;
    const stalledOnce = new Promise<void>((r) => (stall = r));
    let stallRelease: () => void = () => undefined;
    let gate: Promise<void> | null = new Promise<void>((release) => (stallRelease = release));
    const def: SagaDefinition<Rec> = {
      kind: 'K',
      steps: [
        effect('A', async () => {
          if (gate) {
            const g = gate;
            gate = null;
            stall();
            await g;
          }
        }),
        effect('B'),
      ],
    };
    const slow = createSagaEngine({ store, definitions: [def], leaseMs: 50, logger: silent });
    const fast = createSagaEngine({ store, definitions: [def], leaseMs: 10_000, logger: silent });
    const stalled = slow.drive(id);
    await stalledOnce;
    await new Promise((r) => setTimeout(r, 120)); // the slow worker's lease expires mid-step
    assert.equal((await fast.drive(id))?.status, 'SUCCEEDED');
    stallRelease();
    assert.equal((await stalled)?.status, 'SUCCEEDED', 'the stale worker answers the saga as stored');
    const row = await one('SELECT fence, step, lease_until FROM saga WHERE id = $1', [id]);
    assert.deepEqual([row?.fence, row?.step, row?.lease_until], [2, 'B', null]);
    // The stale worker's step ran (steps must be idempotent), but its write of the step was refused.
    assert.deepEqual(await effects(id), ['A', 'B', 'A']);
  });

  it('recovery: a saga a crash left mid-way is not touched while its lease holds, then resumes at its persisted step', async () => {
    const id = await newSaga();
    const def: SagaDefinition<Rec> = { kind: 'K', steps: [effect('A'), effect('B'), effect('C')] };
    // The crashed worker: claimed, ran A, wrote it, and died (its lease of 300 ms stays).
    const claimed = (await store.claim(id, 300))!;
    await def.steps[0]!.run(claimed);
    await store.save(claimed, { step: 'A' }, 300);
    const recovery = createSagaEngine({ store, definitions: [def], leaseMs: 10_000, logger: silent });
    assert.equal(await recovery.recoverDue(100).then(async () => (await store.find(id))?.step), 'A', 'leased: not claimed');
    await new Promise((r) => setTimeout(r, 350));
    await recovery.recoverDue(100);
    const saga = await store.find(id);
    assert.deepEqual([saga?.status, saga?.step, saga?.fence], ['SUCCEEDED', 'C', 2]);
    assert.deepEqual(await effects(id), ['A', 'B', 'C']);
  });

  it('two recovery workers over the same due sagas: each saga is driven by one of them, each step once', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => newSaga()));
    const def: SagaDefinition<Rec> = { kind: 'K', steps: [effect('A'), effect('B')] };
    const workers = [0, 1].map(() => createSagaEngine({ store, definitions: [def], leaseMs: 10_000, logger: silent }));
    const claimed = await Promise.all(workers.map((w) => w.recoverDue(100)));
    assert.ok(claimed.reduce((a, b) => a + b, 0) >= 30);
    for (const id of ids) {
      assert.equal((await store.find(id))?.status, 'SUCCEEDED');
      assert.deepEqual(await effects(id), ['A', 'B']);
    }
  });

  it('a transient failure is retried after its back-off, not before', async () => {
    const id = await newSaga();
    let down = true;
    const def: SagaDefinition<Rec> = { kind: 'K', steps: [effect('A', async () => (down ? Promise.reject(Object.assign(new Error('x'), { code: '57P01' })) : undefined))] };
    const engine = createSagaEngine({ store, definitions: [def], leaseMs: 10_000, logger: silent, retry: { baseMs: 400, maxMs: 400 } });
    assert.equal((await engine.drive(id))?.status, 'RUNNING');
    down = false;
    assert.equal(await engine.recoverDue(100).then(async () => (await store.find(id))?.status), 'RUNNING', 'not due yet');
    await new Promise((r) => setTimeout(r, 450));
    await engine.recoverDue(100);
    assert.equal((await store.find(id))?.status, 'SUCCEEDED');
  });
});
