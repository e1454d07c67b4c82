import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signIdentityAssertion, IDENTITY_HEADER } from '@baas/auth';
import { allow } from '@baas/authz';
import { createLogger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '../src/subgraph';

// The same edge rules on a subgraph's own port (reachable directly, not only through the gateway).
const secret = `edge-secret-${randomUUID()}`;
const OPS_TOKEN = `ops-${randomUUID()}-${randomUUID()}`;
const item = (id: string) => ({ id });

async function start(env: { NODE_ENV: string; OPS_TOKEN?: string }): Promise<RunningSubgraph> {
  return startSubgraph({
    name: 'edge',
    schema: new URL('./fixtures/edge-schema.graphql', import.meta.url),
    resolvers: { Query: { hello: () => 'world', items: () => [item('1')] }, Item: { children: () => [], __resolveReference: (r: { id: string }) => item(r.id) } },
    permissions: { Query: { hello: allow, items: allow, _service: allow, _entities: allow }, Item: allow, _Service: allow },
    config: { ...env, PORT: 0, HOST: '127.0.0.1', INTERNAL_IDENTITY_SECRET: secret, AUDIT_ENABLED: false, AUDIT_MONGO_URL: 'mongodb://127.0.0.1:1', AUDIT_DATABASE: 'x' },
    logger: createLogger({ service: 'edge', level: 'silent' }),
    context: (base) => base,
  });
}

const post = (url: string, query: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }), signal: AbortSignal.timeout(10_000) });
const codeOf = async (res: Response) => ((await res.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

describe('a subgraph in production', () => {
  let sub: RunningSubgraph;
  before(async () => {
    sub = await start({ NODE_ENV: 'production', OPS_TOKEN });
  });
  after(async () => sub?.stop());

  it('refuses to start without OPS_TOKEN', async () => {
    await assert.rejects(start({ NODE_ENV: 'production' }), /OPS_TOKEN/);
  });

  it('answers introspection and _service only to internal callers', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ _service { sdl } }', '{ __type(name: "Item") { name } }']) {
      assert.equal(await codeOf(await post(sub.url, query)), 'FORBIDDEN', query);
      const customer = await signIdentityAssertion({ subject: randomUUID(), kind: 'customer', tenantId: randomUUID(), scopes: [] }, secret);
      assert.equal(await codeOf(await post(sub.url, query, { [IDENTITY_HEADER]: customer })), 'FORBIDDEN', `${query} as a customer`);
      const ok = await post(sub.url, query, { authorization: `Bearer ${OPS_TOKEN}` });
      assert.equal(ok.status, 200, query);
      const service = await signIdentityAssertion({ subject: 'gateway', kind: 'service', tenantId: null, scopes: [] }, secret);
      assert.equal((await post(sub.url, query, { [IDENTITY_HEADER]: service })).status, 200, `${query} as a service`);
    }
    assert.equal(((await (await post(sub.url, '{ hello }')).json()) as { data: { hello: string } }).data.hello, 'world');
  });

  it('keeps /metrics and readiness details behind the operations token', async () => {
    const base = sub.url.replace('/graphql', '');
    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    assert.equal((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } })).status, 200);
    assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { status: 'ready' });
    const details = (await (await fetch(`${base}/readyz`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } })).json()) as { service?: string };
    assert.equal(details.service, 'edge');
  });

  it('applies query limits on its own port: a fragment bomb is refused', async () => {
    let doc = '{ items { ...F0 } }\n';
    for (let i = 0; i < 10; i++) doc += `fragment F${i} on Item { ${i === 9 ? 'id' : Array.from({ length: 30 }, (_, j) => `a${j}: children { ...F${i + 1} }`).join(' ')} }\n`;
    const res = await post(sub.url, doc);
    assert.equal(res.status, 400);
    assert.ok(['TOO_MANY_ALIASES', 'QUERY_TOO_COMPLEX'].includes(String(await codeOf(res))));
  });
});

describe('a subgraph in development', () => {
  let sub: RunningSubgraph;
  before(async () => {
    sub = await start({ NODE_ENV: 'development' });
  });
  after(async () => sub?.stop());

  it('serves introspection, metrics and readiness details without a token', async () => {
    assert.equal((await post(sub.url, '{ __schema { queryType { name } } }')).status, 200);
    assert.equal((await fetch(sub.url.replace('/graphql', '/metrics'))).status, 200);
    const ready = (await (await fetch(sub.url.replace('/graphql', '/readyz'))).json()) as { service?: string };
    assert.equal(ready.service, 'edge');
  });
});
