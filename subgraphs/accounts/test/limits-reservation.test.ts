// accounts.reserve_saga_usage (migration reserve_saga_usage): the one-statement daily-limit
// reservation every transfer saga makes, tested on the real PostgreSQL: concurrent reservations
// never pass a limit, a refusal leaves every counter as it was, and a lost lease writes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { uuidv7 } from '@baas/db';
import { createTestDatabase } from '@baas/testing';

type Row = { id: string; state: string; step: string; usage_day: string | null; failure_code: string | null; lease_until: Date | null };

describe('reserve_saga_usage', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  const tenant = uuidv7();
  const DAY = '2026-11-29';

  before(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 12 });
  });
  after(async () => {
    await pool.end();
    await db.drop();
  });

  async function heldSaga(customer: string, amount: bigint, step = 'HOLD'): Promise<string> {
    const id = uuidv7();
    await pool.query(
      `insert into accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, state, step, request_hash, attempts, lease_until)
       values ($1, 'TRANSFER', $2, $3, $4, $5, $6, 'BRL', 'HELD', $7, 'h', 1, now() + interval '15 seconds')`,
      [id, tenant, customer, uuidv7(), uuidv7(), amount.toString(), step],
    );
    return id;
  }
  const reserve = async (id: string, limits: { customer: bigint | null; tenant: bigint | null }, fence = 1) =>
    (
      await pool.query<Row>(`select * from accounts.reserve_saga_usage($1, $2, $3, 15, $4, $5)`, [
        id,
        fence,
        DAY,
        limits.customer?.toString() ?? null,
        limits.tenant?.toString() ?? null,
      ])
    ).rows[0];
  const usage = async (scope: string) =>
    BigInt((await pool.query<{ amount: string }>(`select amount from accounts.daily_usage where scope = $1 and currency = 'BRL' and day = $2`, [scope, DAY])).rows[0]?.amount ?? 0);

  it('40 concurrent reservations of 100 against a daily limit of 1000: exactly 10 pass, the rest void with LIMIT_EXCEEDED', async () => {
    const customer = uuidv7();
    const ids = await Promise.all(Array.from({ length: 40 }, () => heldSaga(customer, 100n)));
    const rows = await Promise.all(ids.map((id) => reserve(id, { customer: 1000n, tenant: null })));
    const written = rows.filter((r): r is Row => r !== undefined);
    assert.equal(written.length, 40);
    const passed = written.filter((r) => r.step === 'LIMITS');
    const refused = written.filter((r) => r.step === 'VOID');
    assert.equal(passed.length, 10);
    assert.equal(refused.length, 30);
    for (const r of passed) assert.equal(r.usage_day, DAY);
    for (const r of refused) {
      assert.equal(r.failure_code, 'LIMIT_EXCEEDED');
      assert.equal(r.usage_day, null);
      assert.equal(r.state, 'HELD', 'the void step follows (the hold is released by the saga)');
    }
    assert.equal(await usage(`customer:${customer}`), 1000n);
  });

  it('a tenant refusal leaves the customer counter as it was', async () => {
    const customer = uuidv7();
    const first = await heldSaga(customer, 300n);
    assert.equal((await reserve(first, { customer: null, tenant: null }))?.step, 'LIMITS');
    const customerBefore = await usage(`customer:${customer}`);
    const tenantBefore = await usage(`tenant:${tenant}`);
    const second = await heldSaga(customer, 500n);
    const refused = await reserve(second, { customer: null, tenant: tenantBefore + 499n });
    assert.equal(refused?.step, 'VOID');
    assert.equal(refused?.failure_code, 'LIMIT_EXCEEDED');
    assert.equal(await usage(`customer:${customer}`), customerBefore, 'the customer increment was rolled back');
    assert.equal(await usage(`tenant:${tenant}`), tenantBefore);
  });

  it('writes nothing without the lease, or when the saga is past the step; accepts step RISK of earlier versions', async () => {
    const customer = uuidv7();
    const id = await heldSaga(customer, 100n);
    assert.equal(await reserve(id, { customer: null, tenant: null }, 2), undefined, 'another fence');
    assert.equal(await usage(`customer:${customer}`), 0n);
    const row = await reserve(id, { customer: null, tenant: null });
    assert.equal(row?.step, 'LIMITS');
    assert.ok(row?.lease_until && row.lease_until.getTime() > Date.now(), 'the lease was extended');
    assert.equal(await reserve(id, { customer: null, tenant: null }), undefined, 'reserved once only');
    assert.equal(await usage(`customer:${customer}`), 100n);
    const legacy = await heldSaga(customer, 50n, 'RISK');
    assert.equal((await reserve(legacy, { customer: null, tenant: null }))?.step, 'LIMITS');
    assert.equal(await usage(`customer:${customer}`), 150n);
  });
  it('an optional per-transaction limit (the same rule, accounts.fits_limit) refuses like a daily one: nothing reserved, step VOID', async () => {
    const customer = uuidv7();
    const id = await heldSaga(customer, 101n);
    const refused = (await pool.query<Row>(`select * from accounts.reserve_saga_usage($1, 1, $2, 15, null, null, 100)`, [id, DAY])).rows[0];
    assert.deepEqual([refused?.step, refused?.failure_code, refused?.usage_day], ['VOID', 'LIMIT_EXCEEDED', null]);
    assert.equal(await usage(`customer:${customer}`), 0n);
    const fits = await heldSaga(customer, 100n);
    const passed = (await pool.query<Row>(`select * from accounts.reserve_saga_usage($1, 1, $2, 15, null, null, 100)`, [fits, DAY])).rows[0];
    assert.equal(passed?.step, 'LIMITS');
    assert.equal(await usage(`customer:${customer}`), 100n);
  });
  it('takes an FX execution PENDING at no step under the same limits: step LIMITS, or FAILED with LIMIT_EXCEEDED and no lease', async () => {
    const customer = uuidv7();
    const fx = async (amount: bigint) => {
      const id = uuidv7();
      await pool.query(
        `insert into accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, state, request_hash, attempts, lease_until)
         values ($1, 'FX', $2, $3, $4, $5, $6, 'BRL', 'PENDING', 'h', 1, now() + interval '15 seconds')`,
        [id, tenant, customer, uuidv7(), uuidv7(), amount.toString()],
      );
      return id;
    };
    const ok = await reserve(await fx(600n), { customer: 1000n, tenant: null });
    assert.deepEqual([ok?.state, ok?.step, ok?.usage_day, ok?.failure_code], ['PENDING', 'LIMITS', DAY, null]);
    const refused = await reserve(await fx(500n), { customer: 1000n, tenant: null });
    assert.deepEqual([refused?.state, refused?.step, refused?.usage_day, refused?.failure_code, refused?.lease_until], ['FAILED', 'LIMITS', null, 'LIMIT_EXCEEDED', null]);
    assert.equal(await usage(`customer:${customer}`), 600n, 'the refusal left the counter as it was');
    // Past its step (already reserved) or without the lease: nothing written.
    assert.equal(await reserve(ok!.id, { customer: null, tenant: null }), undefined);
  });
});
