import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

const APP = 'https://app.fintech.example';
const EVIL = 'https://evil.example';

/** CORS and CSRF through the real gateway (docs/gateway-clients.md). */
describe('gateway: browser origins (CORS) and CSRF prevention', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;

  before(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({ databaseUrl: db.url, gatewayEnv: { GATEWAY_CORS_ORIGINS: `${APP},http://localhost:*`, GATEWAY_CORS_MAX_AGE_SECONDS: '600' } });
  });

  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  const preflight = (origin: string, headers = 'content-type, authorization') =>
    fetch(platform.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
  const corsHeaders = (res: Response) => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

  it('answers an allowed origin\'s preflight: 204, methods, headers, max age, Vary: Origin, no credentials', async () => {
    for (const origin of [APP, 'http://localhost:5173']) {
      const res = await preflight(origin);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.equal(res.headers.get('access-control-allow-methods'), 'POST, GET, OPTIONS');
      const allowHeaders = res.headers.get('access-control-allow-headers')!.split(', ');
      for (const h of ['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id', 'traceparent', 'apollographql-client-name', 'apollographql-client-version']) assert.ok(allowHeaders.includes(h), h);
      assert.equal(res.headers.get('access-control-max-age'), '600');
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.equal(res.headers.get('access-control-allow-credentials'), null, 'Bearer tokens, never cookies');
    }
  });

  it('refuses a disallowed origin\'s preflight with 403 and no CORS headers', async () => {
    for (const origin of [EVIL, 'null', 'https://app.fintech.example.evil.example', 'http://app.fintech.example']) {
      const res = await preflight(origin);
      assert.equal(res.status, 403, origin);
      assert.deepEqual(corsHeaders(res), [], origin);
    }
  });

  it('an allowed origin\'s POST gets its data and the CORS headers; a disallowed one gets none (the browser withholds the reply)', async () => {
    const post = (origin: string) =>
      fetch(platform.gatewayUrl, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    const ok = await post(APP);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { data: { __typename: 'Query' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), APP);
    assert.match(ok.headers.get('access-control-expose-headers') ?? '', /x-request-id/);
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    const evil = await post(EVIL);
    assert.deepEqual(corsHeaders(evil), []);
  });

  it('keeps Apollo\'s CSRF prevention: a simple request (no preflight) is refused, a preflighted one runs', async () => {
    const textPlain = await fetch(platform.gatewayUrl, { method: 'POST', headers: { origin: EVIL, 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    assert.equal(textPlain.status, 400);
    const body = (await textPlain.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.match(body.errors[0]!.message, /Cross-Site Request Forgery/);
    assert.equal(body.errors[0]!.extensions.code, 'BAD_REQUEST');

    const get = (headers: Record<string, string>) => fetch(`${platform.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers });
    assert.equal((await get({ origin: APP })).status, 400, 'a GET without a preflight-forcing header is refused');
    const preflighted = await get({ origin: APP, 'apollo-require-preflight': 'true' });
    assert.equal(preflighted.status, 200);
    assert.deepEqual(await preflighted.json(), { data: { __typename: 'Query' } });
  });

  it('leaves requests without an Origin (servers, mobile apps) as they were, OPTIONS included', async () => {
    const res = await fetch(platform.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(platform.gatewayUrl, { method: 'OPTIONS' })).status, 405);
  });
});
