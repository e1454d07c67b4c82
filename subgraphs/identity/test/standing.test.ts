import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { createIdentityDirectory } from '@baas/server';
import { startIdentity, type TestIdentity } from './helpers/start-identity';

/**
 * The identity <-> other subgraphs contract: customerStanding and tenantStanding, for service
 * principals only, answered over identity's own GraphQL endpoint (as accounts calls it).
 */
describe('customerStanding / tenantStanding: the internal contract (PostgreSQL, HTTP)', () => {
  let identity: TestIdentity;
  let sql: pg.Pool;
  const tenants = { live: uuidv7(), sandbox: uuidv7(), suspended: uuidv7() };
  const customers = { active: uuidv7(), closed: uuidv7(), blocked: uuidv7(), inSuspended: uuidv7() };
  const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: ['identity:read'] };
  const CUSTOMER = `query C($t: ID!, $c: ID!) { customerStanding(tenantId: $t, customerId: $c) { customerId tenantId customerStatus tenantStatus tenantSandbox } }`;
  const TENANT = `query T($t: ID!) { tenantStanding(tenantId: $t) { tenantId status sandbox } }`;

  before(async () => {
    identity = await startIdentity();
    sql = new pg.Pool({ connectionString: identity.db.url, max: 2 });
    await sql.query(`insert into identity.tenant (id, slug, name, sandbox) values ($1, 'live', 'Live', false), ($2, 'sbx', 'Sandbox', true), ($3, 'sus', 'Suspended', true)`, [tenants.live, tenants.sandbox, tenants.suspended]);
    await sql.query(`update identity.tenant set status = 'SUSPENDED' where id = $1`, [tenants.suspended]);
    for (const [id, tenant, status] of [
      [customers.active, tenants.live, 'ACTIVE'],
      [customers.closed, tenants.live, 'CLOSED'],
      [customers.blocked, tenants.live, 'BLOCKED'],
      [customers.inSuspended, tenants.suspended, 'ACTIVE'],
    ] as const) {
      await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name, status) values ($1, $2, 'PERSON', 'P', $3)`, [id, tenant, status]);
    }
  });
  after(async () => {
    await sql?.end();
    await identity?.stop();
  });

  it('a new tenant is ACTIVE by default; a status outside ACTIVE/SUSPENDED cannot be stored', async () => {
    const { rows } = await sql.query(`select status from identity.tenant where id = $1`, [tenants.live]);
    assert.equal(rows[0].status, 'ACTIVE');
    await assert.rejects(sql.query(`update identity.tenant set status = 'DELETED' where id = $1`, [tenants.live]), /tenant_status_check/);
  });

  it("answers a service with the customer's and the tenant's standing", async () => {
    const res = await identity.call(service, CUSTOMER, { t: tenants.live, c: customers.active });
    assert.deepEqual(res.data?.customerStanding, { customerId: customers.active, tenantId: tenants.live, customerStatus: 'ACTIVE', tenantStatus: 'ACTIVE', tenantSandbox: false });
    const closed = await identity.call(service, CUSTOMER, { t: tenants.live, c: customers.closed });
    assert.equal((closed.data?.customerStanding as { customerStatus: string }).customerStatus, 'CLOSED');
    const blocked = await identity.call(service, CUSTOMER, { t: tenants.live, c: customers.blocked });
    assert.equal((blocked.data?.customerStanding as { customerStatus: string }).customerStatus, 'SUSPENDED', 'an older stored status reads as SUSPENDED');
    const suspended = await identity.call(service, CUSTOMER, { t: tenants.suspended, c: customers.inSuspended });
    assert.deepEqual(suspended.data?.customerStanding, { customerId: customers.inSuspended, tenantId: tenants.suspended, customerStatus: 'ACTIVE', tenantStatus: 'SUSPENDED', tenantSandbox: true });
  });

  it('null for a customer of another tenant, an unknown customer, and malformed ids (never an error)', async () => {
    for (const [t, c] of [
      [tenants.sandbox, customers.active],
      [tenants.live, uuidv7()],
      ['not-a-uuid', customers.active],
      [tenants.live, "1' or '1'='1"],
    ]) {
      const res = await identity.call(service, CUSTOMER, { t, c });
      assert.equal(res.errors, undefined, JSON.stringify(res));
      assert.equal(res.data?.customerStanding, null, `${t} ${c}`);
    }
  });

  it("answers a tenant's status and mode; null for unknown and malformed ids", async () => {
    assert.deepEqual((await identity.call(service, TENANT, { t: tenants.sandbox })).data?.tenantStanding, { tenantId: tenants.sandbox, status: 'ACTIVE', sandbox: true });
    assert.deepEqual((await identity.call(service, TENANT, { t: tenants.suspended.toUpperCase() })).data?.tenantStanding, { tenantId: tenants.suspended, status: 'SUSPENDED', sandbox: true });
    for (const t of [uuidv7(), 'nope', '']) {
      const res = await identity.call(service, TENANT, { t });
      assert.equal(res.errors, undefined, JSON.stringify(res));
      assert.equal(res.data?.tenantStanding, null);
    }
  });

  it('refuses everyone but services: anonymous UNAUTHENTICATED; customers, API clients and operators FORBIDDEN', async () => {
    const anonymous = await identity.call(null, TENANT, { t: tenants.live });
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const others: Identity[] = [
      { subject: customers.active, kind: 'customer', tenantId: tenants.live, scopes: ['customer:read'] },
      { subject: uuidv7(), kind: 'api_client', tenantId: tenants.live, scopes: ['customers:read', 'customers:write', 'tenant:write'] },
      { subject: 'ops-1', kind: 'operator', tenantId: null, scopes: [] },
    ];
    for (const who of others) {
      for (const [query, variables] of [[TENANT, { t: tenants.live }], [CUSTOMER, { t: tenants.live, c: customers.active }]] as const) {
        const res = await identity.call(who, query, variables);
        assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN', `${who.kind}: ${JSON.stringify(res)}`);
        assert.ok(!res.data || Object.values(res.data).every((v) => v === null));
      }
    }
    // A forged (unsigned) assertion is anonymous.
    const forged = await fetch(identity.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-baas-identity': 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhY2NvdW50cyJ9.' },
      body: JSON.stringify({ query: TENANT, variables: { t: tenants.live } }),
      signal: AbortSignal.timeout(30_000),
    }).then((r) => r.json() as Promise<{ errors?: { extensions?: { code?: string } }[] }>);
    assert.equal(forged.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it("the shared identity directory (@baas/server) reads the contract: its rule refuses what is not an active customer of an active tenant", async () => {
    const directory = createIdentityDirectory({ url: identity.url, secret: identity.secret, caller: 'accounts', cacheMs: 0 });
    assert.equal((await directory.requireActiveCustomer(tenants.live, customers.active)).customerStatus, 'ACTIVE');
    for (const [t, c] of [[tenants.live, customers.closed], [tenants.suspended, customers.inSuspended], [tenants.sandbox, customers.active]] as const) {
      await assert.rejects(directory.requireActiveCustomer(t, c), (e: { code?: string }) => e.code === 'NOT_FOUND');
    }
    assert.equal((await directory.requireKnownTenant(tenants.suspended)).status, 'SUSPENDED');
    await assert.rejects(directory.requireActiveTenant(tenants.suspended), (e: { code?: string }) => e.code === 'NOT_FOUND');
  });
});
