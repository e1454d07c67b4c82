import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountWithOwnerDocument, ViewerDocument, graphqlRequest } from '@baas/sdk';
import { createTestDatabase, eventually } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { seed, type Seeded } from '../foundation/seed';


describe('gateway: several instances of a subgraph, and what it logs', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let data: Seeded;
  let token: string;
  const lines: string[] = [];

  before(async () => {
    db = await createTestDatabase();
    data = await seed(db.url);
    platform = await startPlatform({ databaseUrl: db.url, instances: { accounts: 2 }, logSink: (line) => lines.push(line) });
    token = await platform.mintToken({ subject: data.alice, kind: 'customer', tenantId: data.tenantA, scopes: [] });
  });

  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  const readAccount = () => graphqlRequest({ url: platform.gatewayUrl, document: AccountWithOwnerDocument, variables: { id: data.aliceAccount }, token });

  it('keeps answering when one instance stops, and uses it again when it returns', async () => {
    const balancer = platform.gateway.balancers.get('accounts')!;
    assert.equal(balancer.urls.length, 2);
    await platform.stopSubgraph('accounts', 0);
    for (let i = 0; i < 10; i++) {
      const res = await readAccount();
      assert.equal(res.errors, undefined, 'a refused connection is retried on the other instance');
      assert.equal(res.data?.account?.id, data.aliceAccount);
    }
    assert.deepEqual(balancer.status.map((s) => s.healthy), [false, true]);
    assert.equal((await fetch(platform.gatewayUrl.replace('/graphql', '/readyz'))).status, 200, 'one healthy instance is enough');

    await platform.restartSubgraph('accounts', 0);
    await eventually(async () => assert.deepEqual(balancer.status.map((s) => s.healthy), [true, true]));
    for (let i = 0; i < 4; i++) assert.equal((await readAccount()).errors, undefined);
  });

  it('writes one JSON line per request with the correlation id, and never the token', async () => {
    lines.length = 0;
    await graphqlRequest({ url: platform.gatewayUrl, document: ViewerDocument, token, headers: { 'x-request-id': 'logs-e2e-1' } });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = parsed.filter((l) => l.msg === 'request' && l.correlationId === 'logs-e2e-1');
    assert.equal(requestLines.length, 1);
    assert.equal(requestLines[0]!.status, 200);
    assert.equal(requestLines[0]!.principal, 'customer');
    assert.equal(requestLines[0]!.service, 'gateway');
    const all = lines.join('\n');
    assert.ok(!all.includes(token), 'the access token is never logged');
    assert.ok(!all.includes(token.split('.')[2]!), 'nor its signature');
  });

  it('refuses non-Bearer credentials with a coded 401 carrying the correlation id, and never logs them', async () => {
    lines.length = 0;
    const res = await graphqlRequest({
      url: platform.gatewayUrl,
      document: ViewerDocument,
      headers: { 'x-request-id': 'logs-e2e-2', authorization: 'Basic dXNlcjpwYXNz' },
    });
    assert.equal(res.status, 401);
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(res.errors?.[0]?.extensions?.correlationId, 'logs-e2e-2');
    assert.ok(!lines.join('\n').includes('dXNlcjpwYXNz'), 'credentials are never logged');
  });
});
