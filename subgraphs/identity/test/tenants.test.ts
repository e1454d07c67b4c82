import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { startIdentity, type TestIdentity } from './helpers/start-identity';

/** Tenant management over identity's own endpoint (PostgreSQL): idempotency and the go-live rule under races. */
describe('tenant management (operators): idempotent creation, go-live only without customers, races', () => {
  let identity: TestIdentity;
  let sql: pg.Pool;
  const operator: Identity = { subject: 'ops-tenants', kind: 'operator', tenantId: null, scopes: [] };
  const CREATE = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { status tenant { id slug sandbox status } } }`;
  const LIVE = `mutation($t: ID!) { switchTenantToLive(tenantId: $t) { id sandbox } }`;
  const CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { status } }`;
  const cpf = () => {
    const base = String(randomInt(100_000_000, 999_999_999));
    return base + cpfCheckDigits(base);
  };

  before(async () => {
    identity = await startIdentity();
    sql = new pg.Pool({ connectionString: identity.db.url, max: 2 });
  });
  after(async () => {
    await sql?.end();
    await identity?.stop();
  });

  it('the same createTenant raced ten times: one CREATED, nine REPLAYED, one row', async () => {
    const id = uuidv7();
    const input = { id, slug: `race-${id.slice(-8)}`, name: 'Race' };
    const results = await Promise.all(Array.from({ length: 10 }, () => identity.call(operator, CREATE, { input })));
    const statuses = results.map((r) => (r.data?.createTenant as { status?: string } | undefined)?.status ?? r.errors?.[0]?.extensions?.code);
    assert.deepEqual(statuses.filter((s) => s === 'CREATED').length, 1, JSON.stringify(statuses));
    assert.deepEqual(statuses.filter((s) => s === 'REPLAYED').length, 9, JSON.stringify(statuses));
    assert.equal((await sql.query(`select count(*)::int n from identity.tenant where id = $1`, [id])).rows[0].n, 1);
  });

  it('two tenants racing for one slug: one is created, the other CONFLICT (SLUG_TAKEN)', async () => {
    const slug = `slug-${uuidv7().slice(-8)}`;
    const results = await Promise.all([uuidv7(), uuidv7()].map((id) => identity.call(operator, CREATE, { input: { id, slug, name: 'S' } })));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    assert.deepEqual(codes, ['CONFLICT', 'OK']);
    assert.equal((await sql.query(`select count(*)::int n from identity.tenant where slug = $1`, [slug])).rows[0].n, 1);
  });

  it('malformed input is BAD_USER_INPUT naming the field, nothing written', async () => {
    for (const [input, field] of [
      [{ id: 'x', slug: 'abc', name: 'n' }, 'id'],
      [{ id: uuidv7(), slug: 'A B', name: 'n' }, 'slug'],
      [{ id: uuidv7(), slug: 'ok-slug', name: '   ' }, 'name'],
    ] as const) {
      const res = await identity.call(operator, CREATE, { input });
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.deepEqual((res.errors?.[0]?.extensions?.details as { field?: string }).field, field);
    }
  });

  it('going live racing a customer\'s creation: the two are ordered (the tenant row is locked), so it goes live first or is refused; never an error', async () => {
    for (let round = 0; round < 5; round++) {
      const id = uuidv7();
      await identity.call(operator, CREATE, { input: { id, slug: `r${round}-${id.slice(-8)}`, name: 'R' } });
      const [live, customer] = await Promise.all([
        identity.call(operator, LIVE, { t: id }),
        identity.call(operator, CUSTOMER, { input: { id: uuidv7(), tenantId: id, kind: 'PERSON', displayName: 'C', taxId: cpf() } }),
      ]);
      assert.ok(!customer.errors, JSON.stringify(customer.errors));
      const row = (await sql.query(`select sandbox from identity.tenant where id = $1`, [id])).rows[0];
      if (live.errors) {
        assert.equal(live.errors[0]?.extensions?.code, 'CONFLICT', JSON.stringify(live.errors));
        assert.equal(row.sandbox, true, 'refused: still sandbox');
      } else {
        assert.equal(row.sandbox, false, 'went live before the customer existed');
      }
    }
    // And once it has a customer, a sandbox tenant never goes live.
    const id = uuidv7();
    await identity.call(operator, CREATE, { input: { id, slug: `late-${id.slice(-8)}`, name: 'L' } });
    await identity.call(operator, CUSTOMER, { input: { id: uuidv7(), tenantId: id, kind: 'PERSON', displayName: 'C', taxId: cpf() } });
    assert.equal((await identity.call(operator, LIVE, { t: id })).errors?.[0]?.extensions?.code, 'CONFLICT');
  });
});
