import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import {
  AccountWithOwnerDocument,
  CustomerByIdDocument,
  MeAndAccountDocument,
  MeDocument,
  ViewerDocument,
  graphqlRequest,
} from '@baas/sdk';
import { createTestDatabase, eventually } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { seed, type Seeded } from './seed';


describe('foundation: a client through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let data: Seeded;
  let aliceToken: string;

  before(async () => {
    db = await createTestDatabase();
    data = await seed(db.url);
    platform = await startPlatform({
      databaseUrl: db.url,
      gatewayEnv: { RATE_LIMIT_MAX: '25', BREAKER_FAILURE_THRESHOLD: '2', BREAKER_RESET_MS: '300' },
    });
    aliceToken = await platform.mintToken({ subject: data.alice, kind: 'customer', tenantId: data.tenantA, scopes: ['accounts:read'] });
  });

  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  const url = () => platform.gatewayUrl;

  it('answers a query that spans identity and accounts, with a minted token', async () => {
    const res = await graphqlRequest({ url: url(), document: MeDocument, token: aliceToken });
    assert.equal(res.status, 200);
    assert.equal(res.errors, undefined);
    assert.equal(res.data?.me?.displayName, 'Alice');
    assert.equal(res.data?.me?.tenant.slug, 'acme');
    assert.deepEqual(res.data?.me?.accounts?.map((a) => [a.id, a.number, a.currency]), [[data.aliceAccount, '100001', 'BRL']]);
  });

  it('federates the other way: account (accounts) -> customer (identity)', async () => {
    const res = await graphqlRequest({ url: url(), document: AccountWithOwnerDocument, variables: { id: data.aliceAccount }, token: aliceToken });
    assert.equal(res.errors, undefined);
    assert.equal(res.data?.account?.customer.displayName, 'Alice');
  });

  it('forwards a verified identity, and no identity without a token', async () => {
    const anonymous = await graphqlRequest({ url: url(), document: ViewerDocument });
    assert.equal(anonymous.data?.viewer, null);
    const res = await graphqlRequest({ url: url(), document: ViewerDocument, token: aliceToken });
    assert.deepEqual(res.data?.viewer, { subject: data.alice, kind: 'customer', tenantId: data.tenantA, scopes: ['accounts:read'] });
  });

  it('ignores an identity header forged by the client', async () => {
    const res = await graphqlRequest({ url: url(), document: ViewerDocument, headers: { 'x-baas-identity': 'forged' } });
    assert.equal(res.data?.viewer, null);
  });

  it('refuses a bad token with 401 UNAUTHENTICATED', async () => {
    const res = await graphqlRequest({ url: url(), document: ViewerDocument, token: `${aliceToken.slice(0, -4)}AAAA` });
    assert.equal(res.status, 401);
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it("never shows another tenant's customer or account", async () => {
    const account = await graphqlRequest({ url: url(), document: AccountWithOwnerDocument, variables: { id: data.bobAccount }, token: aliceToken });
    assert.equal(account.data?.account, null);
    assert.equal(account.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const customer = await graphqlRequest({ url: url(), document: CustomerByIdDocument, variables: { id: data.bob }, token: aliceToken });
    assert.equal(customer.data?.customer, null);
    assert.equal(customer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  it('echoes the correlation id and keeps it out of reach of injection', async () => {
    const res = await graphqlRequest({ url: url(), document: ViewerDocument, headers: { 'x-request-id': 'e2e-corr-123' } });
    assert.equal(res.headers.get('x-request-id'), 'e2e-corr-123');
    const bad = await graphqlRequest({ url: url(), document: ViewerDocument, headers: { 'x-request-id': 'bad id\twith spaces' } });
    assert.notEqual(bad.headers.get('x-request-id'), 'bad id\twith spaces');
  });

  it('rejects a query deeper than the limit with QUERY_TOO_DEEP', async () => {
    const nest = (n: number): string => (n === 0 ? 'id' : `customer { accounts { ${nest(n - 1)} } }`);
    const res = await graphqlRequest({ url: url(), document: parse(`query Deep { account(id: "${data.aliceAccount}") { ${nest(7)} } }`), token: aliceToken });
    assert.equal(res.status, 400);
    assert.equal(res.errors?.[0]?.extensions?.code, 'QUERY_TOO_DEEP');
  });

  it('hits the rate limit: 429, RATE_LIMITED and standard headers', async () => {
    const token = await platform.mintToken({ subject: `client-${randomUUID()}`, kind: 'api_client', tenantId: data.tenantA, scopes: [] });
    let last = await graphqlRequest({ url: url(), document: ViewerDocument, token });
    assert.equal(last.headers.get('ratelimit-limit'), '25');
    assert.equal(last.headers.get('ratelimit-remaining'), '24');
    for (let i = 0; i < 25 && last.status === 200; i++) last = await graphqlRequest({ url: url(), document: ViewerDocument, token });
    assert.equal(last.status, 429);
    assert.equal(last.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(last.headers.get('ratelimit-remaining'), '0');
    assert.ok(Number(last.headers.get('retry-after')) > 0);
    // Another client is not affected.
    const other = await graphqlRequest({ url: url(), document: ViewerDocument, token: aliceToken });
    assert.equal(other.status, 200);
  });

  it('serves health, readiness, metrics and the IDE', async () => {
    const base = url().replace('/graphql', '');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /graphql_requests_total/);
    assert.match(metrics, /graphql_request_duration_seconds_bucket/);
    const ide = await fetch(`${base}/ide`);
    assert.equal(ide.status, 200);
    assert.match(await ide.text(), /\/ide\/graphiql\.js/);
    assert.equal((await fetch(`${base}/ide/graphiql.js`)).status, 200);
  });

  it('a stopped subgraph degrades its fields only, and the breaker recovers when it returns', async () => {
    const carolToken = await platform.mintToken({ subject: data.carol, kind: 'customer', tenantId: data.tenantA, scopes: [] });
    await platform.stopSubgraph('accounts');
    await eventually(async () => {
      const res = await graphqlRequest({ url: url(), document: MeAndAccountDocument, variables: { id: data.carolAccount }, token: carolToken });
      assert.equal(res.status, 200);
      assert.equal(res.data?.me?.displayName, 'Carol', 'identity still answers');
      assert.equal(res.data?.account, null);
      assert.equal(res.errors?.[0]?.extensions?.code, 'SUBGRAPH_UNAVAILABLE');
    });
    const base = url().replace('/graphql', '');
    await eventually(async () => assert.equal((await fetch(`${base}/readyz`)).status, 503));

    await platform.restartSubgraph('accounts');
    await eventually(async () => {
      const res = await graphqlRequest({ url: url(), document: MeAndAccountDocument, variables: { id: data.carolAccount }, token: carolToken });
      assert.equal(res.errors, undefined);
      assert.equal(res.data?.account?.id, data.carolAccount);
    });
    assert.equal(platform.gateway.breakers.get('accounts')?.current, 'closed');
  });
});
