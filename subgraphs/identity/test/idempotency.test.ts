import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { legacyRequestHash } from '@baas/idempotency';
import { startIdentity, type TestIdentity } from './helpers/start-identity';

/** Identity's creating mutations on @baas/idempotency: replays, reused keys, races, tenants kept apart, rows hashed before it. */
describe('identity idempotency (createCustomer, createApiClient)', () => {
  let identity: TestIdentity;
  let sql: pg.Pool;
  const operator: Identity = { subject: 'ops-idempotency', kind: 'operator', tenantId: null, scopes: [] };
  const TENANT = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } } }`;
  const CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { status customer { id displayName } } }`;
  const CLIENT = `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { clientSecret status client { id } } }`;
  const cpf = () => {
    const base = String(randomInt(100_000_000, 999_999_999));
    return base + cpfCheckDigits(base);
  };
  const newTenant = async () => {
    const id = uuidv7();
    const res = await identity.call(operator, TENANT, { input: { id, slug: `idem-${id.slice(-12)}`, name: 'Idem' } });
    assert.ok(!res.errors, JSON.stringify(res.errors));
    return id;
  };
  const outcome = (r: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] }) =>
    (r.data?.createCustomer as { status?: string } | undefined)?.status ?? r.errors?.[0]?.extensions?.code;

  before(async () => {
    identity = await startIdentity();
    sql = new pg.Pool({ connectionString: identity.db.url, max: 2 });
  });
  after(async () => {
    await sql?.end();
    await identity?.stop();
  });

  it('createCustomer raced eight times: one CREATED, seven REPLAYED, one row; another request under the id is IDEMPOTENCY_KEY_REUSED', async () => {
    const tenantId = await newTenant();
    const input = { id: uuidv7(), tenantId, kind: 'PERSON', displayName: 'Ana', taxId: cpf(), email: 'ana@example.com' };
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => identity.call(operator, CUSTOMER, { input })))).map(outcome);
    assert.equal(statuses.filter((s) => s === 'CREATED').length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 'REPLAYED').length, 7, JSON.stringify(statuses));
    assert.equal((await sql.query('select count(*)::int n from identity.customer where id = $1', [input.id])).rows[0].n, 1);
    assert.equal(outcome(await identity.call(operator, CUSTOMER, { input: { ...input, displayName: 'Bia' } })), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(outcome(await identity.call(operator, CUSTOMER, { input: { ...input, email: null } })), 'IDEMPOTENCY_KEY_REUSED');
    // The same document under another id is a CONFLICT, raced or not.
    const again = await Promise.all([uuidv7(), uuidv7()].map((id) => identity.call(operator, CUSTOMER, { input: { ...input, id } })));
    assert.deepEqual(again.map(outcome), ['CONFLICT', 'CONFLICT']);
  });

  it("a customer id reused in another tenant never replays the first tenant's customer", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const input = { id: uuidv7(), tenantId: a, kind: 'PERSON', displayName: 'Caio', taxId: cpf() };
    assert.equal(outcome(await identity.call(operator, CUSTOMER, { input })), 'CREATED');
    const other = await identity.call(operator, CUSTOMER, { input: { ...input, tenantId: b } });
    assert.equal(outcome(other), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(other.data ?? null, null);
  });

  it('a customer stored with the request hash of before @baas/idempotency still replays', async () => {
    const tenantId = await newTenant();
    const taxId = cpf();
    const input = { id: uuidv7(), tenantId, kind: 'PERSON', displayName: 'Duda', taxId };
    assert.equal(outcome(await identity.call(operator, CUSTOMER, { input })), 'CREATED');
    await sql.query('update identity.customer set request_hash = $2 where id = $1', [input.id, legacyRequestHash([tenantId, 'PERSON', 'Duda', taxId, null, null])]);
    assert.equal(outcome(await identity.call(operator, CUSTOMER, { input })), 'REPLAYED');
    assert.equal(outcome(await identity.call(operator, CUSTOMER, { input: { ...input, displayName: 'Eva' } })), 'IDEMPOTENCY_KEY_REUSED');
  });

  it('createApiClient raced: one secret handed out, the replays show none; another tenant under the id is IDEMPOTENCY_KEY_REUSED', async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const input = { id: uuidv7(), tenantId: a, name: 'backend', scopes: ['customers:read', 'accounts:read'] };
    const results = await Promise.all(Array.from({ length: 6 }, () => identity.call(operator, CLIENT, { input })));
    assert.ok(results.every((r) => !r.errors), JSON.stringify(results.map((r) => r.errors)));
    const secrets = results.map((r) => (r.data?.createApiClient as { clientSecret: string | null }).clientSecret);
    assert.equal(secrets.filter((s) => s !== null).length, 1);
    // The scopes in another order are the same request.
    const reordered = await identity.call(operator, CLIENT, { input: { ...input, scopes: [...input.scopes].reverse() } });
    assert.equal((reordered.data?.createApiClient as { clientSecret: string | null }).clientSecret, null);
    const other = await identity.call(operator, CLIENT, { input: { ...input, tenantId: b } });
    assert.equal(other.errors?.[0]?.extensions?.code, 'IDEMPOTENCY_KEY_REUSED');
  });
});
