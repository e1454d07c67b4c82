import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { ViewerDocument } from '@baas/sdk';
import { createGateway, gatewayConfigSchema, type RunningGateway } from '@baas/gateway';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
type Reply = { status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } };

/** Automatic persisted queries and trusted documents through the real gateway (docs/gateway-clients.md). */
describe('gateway: automatic persisted queries and trusted documents', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let trusted: RunningGateway;
  let token: string;
  const viewer = print(ViewerDocument);
  const viewerHash = sha256(viewer);

  before(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({ databaseUrl: db.url });
    token = await platform.mintToken({ subject: 'ops-apq-1', kind: 'operator', tenantId: null, scopes: [] });
    // A second gateway over the same subgraphs, in trusted documents mode.
    const urls = platform.subgraphUrls;
    trusted = await createGateway(
      gatewayConfigSchema.parse({
        NODE_ENV: 'test',
        PORT: '0',
        INTERNAL_IDENTITY_SECRET: platform.internalSecret,
        JWKS_URL: urls.identity!.replace(/\/graphql$/, '/.well-known/jwks.json'),
        SUBGRAPH_URLS: Object.entries(urls).map(([name, url]) => `${name}=${url}`).join(','),
        RATE_LIMIT_PREFIX: `test-trusted-${Date.now()}`,
        GATEWAY_TRUSTED_DOCUMENTS: 'true',
      }),
      createLogger({ service: 'gateway', level: 'silent' }),
    );
  });

  after(async () => {
    await trusted?.stop();
    await platform?.stop();
    await db?.drop();
  });

  const post = async (url: string, body: Record<string, unknown>): Promise<Reply> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Reply['body'] };
  };
  const get = async (url: string, params: Record<string, unknown>): Promise<Reply> => {
    const search = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const res = await fetch(`${url}?${search}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    return { status: res.status, body: (await res.json()) as Reply['body'] };
  };
  const pq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
  const code = (r: Reply) => r.body.errors?.[0]?.extensions?.code;

  it('APQ: an unknown hash is PERSISTED_QUERY_NOT_FOUND; the query with its hash registers it; then the hash alone runs (POST and GET)', async () => {
    const query = `{ __typename apq: __typename }`;
    const hash = sha256(query);
    const miss = await post(platform.gatewayUrl, { extensions: pq(hash) });
    assert.equal(code(miss), 'PERSISTED_QUERY_NOT_FOUND');
    const register = await post(platform.gatewayUrl, { query, extensions: pq(hash) });
    assert.deepEqual(register.body, { data: { __typename: 'Query', apq: 'Query' } });
    assert.deepEqual((await post(platform.gatewayUrl, { extensions: pq(hash) })).body, { data: { __typename: 'Query', apq: 'Query' } });
    const viaGet = await get(platform.gatewayUrl, { extensions: pq(hash) });
    assert.equal(viaGet.status, 200);
    assert.deepEqual(viaGet.body, { data: { __typename: 'Query', apq: 'Query' } });
  });

  it('APQ: a hash that is not the query\'s is refused; the SDK\'s operations run by hash from the first request (the manifest)', async () => {
    const mismatch = await post(platform.gatewayUrl, { query: '{ __typename }', extensions: pq(sha256('{ other }')) });
    assert.equal(mismatch.status, 400);
    const first = await post(platform.gatewayUrl, { operationName: 'Viewer', extensions: pq(viewerHash) });
    assert.equal(first.body.errors, undefined);
    assert.equal((first.body.data?.viewer as { subject: string }).subject, 'ops-apq-1');
  });

  it('trusted documents: a registered operation runs by hash (POST, GET) or in full', async () => {
    const byHash = await post(trusted.url, { operationName: 'Viewer', extensions: pq(viewerHash) });
    assert.equal(byHash.body.errors, undefined);
    assert.equal((byHash.body.data?.viewer as { subject: string }).subject, 'ops-apq-1');
    const viaGet = await get(trusted.url, { operationName: 'Viewer', extensions: pq(viewerHash) });
    assert.equal(viaGet.body.errors, undefined);
    const full = await post(trusted.url, { query: viewer, operationName: 'Viewer' });
    assert.equal(full.body.errors, undefined);
  });

  it('trusted documents: anything else is PERSISTED_QUERY_NOT_ALLOWED, and is never registered', async () => {
    const adHoc = await post(trusted.url, { query: '{ __typename }' });
    assert.equal(adHoc.status, 400);
    assert.equal(code(adHoc), 'PERSISTED_QUERY_NOT_ALLOWED');
    assert.equal(adHoc.body.data, undefined);
    const query = '{ __typename attempt: __typename }';
    const registering = await post(trusted.url, { query, extensions: pq(sha256(query)) });
    assert.equal(code(registering), 'PERSISTED_QUERY_NOT_ALLOWED');
    assert.equal(code(await post(trusted.url, { extensions: pq(sha256(query)) })), 'PERSISTED_QUERY_NOT_FOUND', 'the refused document was not stored');
    const edited = viewer.replace('subject', 'subject\n    subject2: subject');
    assert.equal(code(await post(trusted.url, { query: edited })), 'PERSISTED_QUERY_NOT_ALLOWED', 'a registered operation, changed, is another document');
  });
});
