import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { connect } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { createGateway, gatewayConfigSchema, type RunningGateway } from '@baas/gateway';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

// Issue 10, items 11 to 16 and 19: attacks on the gateway's HTTP edge and query limits, replayed
// through the gateway. Every request is bounded in time (an abort fails the test); no latency is asserted.

type GraphQLBody = { data?: unknown; errors?: { message: string; extensions?: { code?: string; correlationId?: string; serviceName?: string } }[] };
type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; json(): GraphQLBody };

const TIMEOUT_MS = 15_000;
const OPS_TOKEN = `ops-${randomUUID()}-${randomUUID()}`;

/** One HTTP request on `agent` (a keep-alive agent with one socket shows what happens on the same connection). */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', agent: opts.agent, headers: Object.fromEntries(Object.entries({ 'content-type': 'application/json', ...opts.headers }).filter(([, v]) => v !== '')), signal: AbortSignal.timeout(TIMEOUT_MS) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) as GraphQLBody });
      });
    });
    // The server may close while a refused body is still being sent: the reply is what counts.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(opts.body);
  });
}

const gql = (url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  send(url, { body: JSON.stringify({ query, variables, ...extra }), headers });

const code = (reply: Reply) => reply.json().errors?.[0]?.extensions?.code;

/** A fragment bomb: `levels` fragments, each selecting the next one `width` times under aliases. */
function fragmentBomb(width: number, levels: number): string {
  let doc = 'query Bomb { me { ...F0 } }\n';
  for (let i = 0; i < levels; i++) {
    const [type, field] = i % 2 === 0 ? ['Customer', 'accounts'] : ['Account', 'customer'];
    const body = i === levels - 1 ? 'id' : Array.from({ length: width }, (_, j) => `a${j}: ${field} { ...F${i + 1} }`).join(' ');
    doc += `fragment F${i} on ${type} { ${body} }\n`;
  }
  return doc;
}

describe('security: the gateway edge (issue 10, items 11-16, 19)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let url: string;
  const extra: RunningGateway[] = [];

  /** Another gateway over the same subgraphs with its own settings (production, tight limits). */
  const startGateway = async (env: Record<string, string>) => {
    const config = gatewayConfigSchema.parse({
      INTERNAL_IDENTITY_SECRET: platform.internalSecret,
      JWKS_URL: new URL('/.well-known/jwks.json', platform.subgraphUrls.identity).toString(),
      JWKS_COOLDOWN_MS: '0',
      SUBGRAPH_URLS: Object.entries(platform.subgraphUrls).map(([name, u]) => `${name}=${u}`).join(','),
      RATE_LIMIT_PREFIX: `test-${randomUUID()}`,
      PORT: '0',
      ...env,
    });
    const gateway = await createGateway(config, createLogger({ service: 'gateway', level: 'silent' }));
    extra.push(gateway);
    return gateway;
  };

  before(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({
      databaseUrl: db.url,
      // Subgraphs accept 16 KiB here, so a forwarded body can be refused by a subgraph (item 12).
      env: { MAX_BODY_BYTES: String(16 * 1024) },
      gatewayEnv: { MAX_BODY_BYTES: String(1024 * 1024), SUBGRAPH_MAX_BODY_BYTES: String(64 * 1024 * 1024), BREAKER_FAILURE_THRESHOLD: '2', RATE_LIMIT_MAX: '100000' },
    });
    url = platform.gatewayUrl;
  });

  after(async () => {
    for (const g of extra) await g.stop();
    await platform?.stop();
    await db?.drop();
  });

  describe('item 11: fragment bombs and huge documents', () => {
    it('refuses an anonymous 30-wide, 10-level fragment bomb with a coded error', async () => {
      const reply = await gql(url, fragmentBomb(30, 10));
      assert.equal(reply.status, 400);
      assert.ok(['TOO_MANY_ALIASES', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_LARGE'].includes(String(code(reply))), reply.body);
      assert.ok(reply.json().errors?.[0]?.extensions?.correlationId);
    });

    it('refuses a bomb without aliases (the same field repeated) as too expensive', async () => {
      let doc = 'query Bomb { me { ...F0 } }\n';
      for (let i = 0; i < 10; i++) {
        const [type, field] = i % 2 === 0 ? ['Customer', 'accounts'] : ['Account', 'customer'];
        doc += `fragment F${i} on ${type} { ${i === 9 ? 'id' : Array.from({ length: 4 }, () => `${field} { ...F${i + 1} }`).join(' ')} }\n`;
      }
      const reply = await gql(url, doc);
      assert.equal(reply.status, 400);
      assert.equal(code(reply), 'QUERY_TOO_COMPLEX', reply.body);
    });

    it('stops parsing at the token limit: QUERY_TOO_LARGE', async () => {
      const reply = await gql(url, `{ ${Array.from({ length: 4000 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
      assert.equal(reply.status, 400);
      assert.equal(code(reply), 'QUERY_TOO_LARGE', reply.body);
    });

    it('refuses a fragment cycle', async () => {
      const reply = await gql(url, 'query C { me { ...A } } fragment A on Customer { accounts { customer { ...A } } }');
      assert.equal(reply.status, 400);
      assert.ok(reply.json().errors?.[0]?.extensions?.code, reply.body);
    });
  });

  describe('item 14: the cost estimate reads effective values', () => {
    const ids = JSON.stringify(Array.from({ length: 500 }, () => randomUUID()));

    it('refuses three nested pages steered by a variable default, omitted page sizes and 500 ids', async () => {
      const reply = await gql(url, `query Steer($n: Int = 500) { ledgerAccounts(ids: ${ids}) { transfers(first: $n) { edges { node { id } } } } }`);
      assert.equal(code(reply), 'QUERY_TOO_COMPLEX', reply.body);
      const omitted = await gql(url, `query Omitted { ledgerAccounts(ids: ${ids}) { statement { entries { transferId amount } } } }`);
      assert.equal(code(omitted), 'QUERY_TOO_COMPLEX', omitted.body);
      const byVariable = await gql(url, 'query ByVar($ids: [ID!]!, $n: Int) { ledgerAccounts(ids: $ids) { transfers(first: $n) { edges { node { id } } } } }', { ids: JSON.parse(ids), n: 500 });
      assert.equal(code(byVariable), 'QUERY_TOO_COMPLEX', byVariable.body);
    });

    it('costs a persisted query again with each request\'s variables', async () => {
      const query = 'query Persisted($ids: [ID!]!, $n: Int) { ledgerAccounts(ids: $ids) { transfers(first: $n) { edges { node { id } } } } }';
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const persistedQuery = { version: 1, sha256Hash };
      const registered = await gql(url, query, { ids: [randomUUID()], n: 1 }, {}, { extensions: { persistedQuery } });
      assert.notEqual(code(registered), 'QUERY_TOO_COMPLEX', registered.body);
      const replay = await send(url, { body: JSON.stringify({ variables: { ids: JSON.parse(ids), n: 500 }, extensions: { persistedQuery } }) });
      assert.equal(code(replay), 'QUERY_TOO_COMPLEX', replay.body);
    });

    it('accepts the documented maximum page: statement(first: 500)', async () => {
      const reply = await gql(url, `query Max($id: ID!) { ledgerAccount(id: $id) { statement(first: 500) { openingBalance entries { transferId at amount runningBalance counterpartyAccountId code metadata } } } }`, { id: randomUUID() });
      assert.notEqual(code(reply), 'QUERY_TOO_COMPLEX', reply.body);
      assert.equal(reply.status, 200, reply.body);
    });
  });

  describe('item 12: a client cannot open a breaker for everyone', () => {
    it('refuses an operation name over 100 characters before any subgraph is called', async () => {
      const reply = await gql(url, `query ${'N'.repeat(5000)} { viewer { kind } }`);
      assert.equal(reply.status, 400);
      assert.equal(code(reply), 'BAD_REQUEST', reply.body);
    });

    it("answers a subgraph's 413 to its own client, coded, and never counts it against the subgraph", async () => {
      const breaker = platform.gateway.breakers.get('identity')!;
      const big = 'x'.repeat(32 * 1024); // over the subgraphs' 16 KiB, well under the gateway's 1 MiB
      for (let i = 0; i < 6; i++) {
        const reply = await gql(url, 'query Big($id: ID!) { customer(id: $id) { id } }', { id: big });
        assert.equal(reply.status, 200, reply.body);
        assert.equal(code(reply), 'PAYLOAD_TOO_LARGE', reply.body);
        assert.equal(reply.json().errors?.[0]?.extensions?.serviceName, 'identity');
      }
      assert.equal(breaker.current, 'closed', 'six refused requests (threshold 2) left the breaker closed');
      assert.ok(platform.gateway.balancers.get('identity')!.anyHealthy);
      const other = await gql(url, 'query Ok($id: ID!) { customer(id: $id) { id } }', { id: randomUUID() });
      assert.notEqual(code(other), 'SUBGRAPH_UNAVAILABLE', other.body);
    });

    it('refuses a body the gateway would forward over the subgraph limit, without calling it', async () => {
      const tight = await startGateway({ SUBGRAPH_MAX_BODY_BYTES: '4096', BREAKER_FAILURE_THRESHOLD: '1' });
      for (let i = 0; i < 3; i++) {
        const reply = await gql(tight.url, 'query Big($id: ID!) { customer(id: $id) { id } }', { id: 'y'.repeat(8192) });
        assert.equal(code(reply), 'PAYLOAD_TOO_LARGE', reply.body);
      }
      assert.equal(tight.breakers.get('identity')!.current, 'closed');
    });
  });

  describe('item 13 and 19: early refusals close cleanly and carry the correlation id', () => {
    it('answers 413 PAYLOAD_TOO_LARGE, closes the connection, and answers the next request', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const body = JSON.stringify({ query: `{ viewer { kind } } # ${'x'.repeat(1024 * 1024 + 10)}` });
        const refused = await send(url, { agent, body, headers: { 'x-request-id': 'sec-413' } });
        assert.equal(refused.status, 413);
        assert.equal(refused.headers.connection, 'close');
        assert.equal(refused.headers['x-request-id'], 'sec-413');
        assert.equal(code(refused), 'PAYLOAD_TOO_LARGE');
        assert.equal(refused.json().errors?.[0]?.extensions?.correlationId, 'sec-413');
        for (let i = 0; i < 2; i++) {
          const next = await send(url, { agent, body: JSON.stringify({ query: '{ viewer { kind } }' }) });
          assert.equal(next.status, 200, 'the next request on the same agent is answered');
        }
      } finally {
        agent.destroy();
      }
    });

    it('gives 400 (bad JSON, not JSON, batches, deep JSON, CSRF), 401, 404 and 405 a stable code and the correlation id', async () => {
      const cases: [string, Promise<Reply>, number, string][] = [
        ['bad JSON', send(url, { body: '{ "query": ', headers: { 'x-request-id': 'sec-1' } }), 400, 'BAD_REQUEST'],
        ['batch', send(url, { body: JSON.stringify([{ query: '{ viewer { kind } }' }, { query: '{ viewer { kind } }' }]), headers: { 'x-request-id': 'sec-2' } }), 400, 'BAD_REQUEST'],
        ['deep variables', send(url, { body: `{"query":"{ viewer { kind } }","variables":{"v":${'['.repeat(5000)}${']'.repeat(5000)}}}`, headers: { 'x-request-id': 'sec-3' } }), 400, 'BAD_REQUEST'],
        ['bad token', gql(url, '{ viewer { kind } }', {}, { authorization: 'Bearer not-a-token', 'x-request-id': 'sec-4' }), 401, 'UNAUTHENTICATED'],
        ['PUT', send(url, { method: 'PUT', body: '{}', headers: { 'x-request-id': 'sec-5' } }), 405, 'METHOD_NOT_ALLOWED'],
        ['not JSON', send(url, { body: 'query { viewer { kind } }', headers: { 'content-type': 'text/plain', 'x-request-id': 'sec-6' } }), 400, 'BAD_REQUEST'],
        ['simple GET (CSRF)', send(`${url}?query=${encodeURIComponent('{ viewer { kind } }')}`, { method: 'GET', headers: { 'content-type': '', 'x-request-id': 'sec-7' } }), 400, 'BAD_REQUEST'],
        ['unknown path', send(url.replace('/graphql', '/nope'), { method: 'GET', headers: { 'x-request-id': 'sec-8' } }), 404, 'NOT_FOUND'],
      ];
      for (const [name, pending, status, expected] of cases) {
        const reply = await pending;
        assert.equal(reply.status, status, `${name}: ${reply.body}`);
        assert.equal(code(reply), expected, name);
        const id = reply.headers['x-request-id'];
        assert.ok(id, `${name}: x-request-id header`);
        assert.equal(reply.json().errors?.[0]?.extensions?.correlationId, id, `${name}: correlation id in the body`);
      }
    });

    it('refuses deeply nested variables on a GET as on a POST', async () => {
      const variables = encodeURIComponent(`{"v":${'['.repeat(200)}${']'.repeat(200)}}`);
      const reply = await send(`${url}?query=${encodeURIComponent('{ viewer { kind } }')}&variables=${variables}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } });
      assert.equal(reply.status, 400);
      assert.equal(code(reply), 'BAD_REQUEST', reply.body);
    });

    it('answers a GET with a huge query string with 431 HEADERS_TOO_LARGE and closes', async () => {
      const { port } = new URL(url);
      const socket = connect(Number(port), '127.0.0.1');
      const reply = await new Promise<string>((resolve, reject) => {
        let text = '';
        socket.on('data', (c) => (text += c.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        socket.setTimeout(TIMEOUT_MS, () => reject(new Error('no answer')));
        socket.write(`GET /graphql?query=${encodeURIComponent(`{ ${'viewer { kind } '.repeat(3000)} }`)} HTTP/1.1\r\nhost: x\r\n\r\n`);
      });
      assert.match(reply, /^HTTP\/1\.1 431/);
      assert.match(reply, /"code":"HEADERS_TOO_LARGE"/);
      assert.match(reply, /x-request-id: \S+/);
    });
  });

  describe('item 15: the IP limit comes before any token work', () => {
    it('limits invalid tokens by client IP: 429 RATE_LIMITED with the correlation id', async () => {
      const limited = await startGateway({ RATE_LIMIT_IP_MAX: '5', RATE_LIMIT_MAX: '1000' });
      const codes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const reply = await gql(limited.url, '{ viewer { kind } }', {}, { authorization: `Bearer guess-${i}` });
        codes.push(String(code(reply)));
        if (reply.status === 429) {
          assert.ok(Number(reply.headers['retry-after']) > 0);
          assert.ok(reply.json().errors?.[0]?.extensions?.correlationId);
        }
      }
      assert.deepEqual(codes, [...Array(5).fill('UNAUTHENTICATED'), ...Array(3).fill('RATE_LIMITED')]);
    });

    it('limits a verified principal by its own budget after verification', async () => {
      const limited = await startGateway({ RATE_LIMIT_IP_MAX: '1000', RATE_LIMIT_MAX: '3' });
      const token = await platform.mintToken({ subject: `client-${randomUUID()}`, kind: 'api_client', tenantId: randomUUID(), scopes: [] });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await gql(limited.url, '{ viewer { kind } }', {}, { authorization: `Bearer ${token}` })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    });

    it('counts a remembered token against its address too (both limits in one round trip)', async () => {
      const limited = await startGateway({ RATE_LIMIT_IP_MAX: '3', RATE_LIMIT_MAX: '1000' });
      const token = await platform.mintToken({ subject: `client-${randomUUID()}`, kind: 'api_client', tenantId: randomUUID(), scopes: [] });
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await gql(limited.url, '{ viewer { kind } }', {}, { authorization: `Bearer ${token}` }));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 429, 429]);
      assert.equal(replies[3]!.headers['ratelimit-limit'], '3', 'the address policy refused it');
    });
  });

  describe('item 16: production shows no insides', () => {
    let prod: RunningGateway;
    let base: string;
    before(async () => {
      prod = await startGateway({ NODE_ENV: 'production', OPS_TOKEN });
      base = prod.url.replace('/graphql', '');
    });

    it('refuses to start in production without OPS_TOKEN', () => {
      const result = gatewayConfigSchema.safeParse({ NODE_ENV: 'production', INTERNAL_IDENTITY_SECRET: 'x'.repeat(32) });
      assert.equal(result.success, false);
    });

    it('turns introspection and the IDE off', async () => {
      const reply = await gql(prod.url, '{ __schema { types { name } } }');
      assert.equal(reply.status, 400);
      assert.equal(code(reply), 'GRAPHQL_VALIDATION_FAILED', reply.body);
      assert.equal((await send(`${base}/ide`, { method: 'GET' })).status, 404);
      const html = await send(prod.url, { method: 'GET', headers: { accept: 'text/html' } });
      assert.notEqual(html.status, 302, 'no redirect to an IDE');
      assert.equal((await gql(prod.url, '{ viewer { kind } }')).status, 200, 'ordinary queries still work');
    });

    it('keeps /metrics behind the operations token', async () => {
      const anonymous = await send(`${base}/metrics`, { method: 'GET' });
      assert.equal(anonymous.status, 401);
      assert.equal(code(anonymous), 'UNAUTHENTICATED');
      assert.doesNotMatch(anonymous.body, /graphql_requests_total/);
      const wrong = await send(`${base}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${OPS_TOKEN}x` } });
      assert.equal(wrong.status, 401);
      const ops = await send(`${base}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      assert.equal(ops.status, 200);
      assert.match(ops.body, /graphql_requests_total/);
    });

    it('says only ready or not ready on the public /readyz; details with the token', async () => {
      const publicReply = await send(`${base}/readyz`, { method: 'GET' });
      assert.equal(publicReply.status, 200);
      assert.deepEqual(JSON.parse(publicReply.body), { status: 'ready' });
      assert.doesNotMatch(publicReply.body, /http:\/\//);
      const ops = await send(`${base}/readyz`, { method: 'GET', headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      assert.ok((JSON.parse(ops.body) as { subgraphs?: unknown }).subgraphs);
    });
  });
});
