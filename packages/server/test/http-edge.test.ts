import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { connect } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { createGraphQLHandler, jsonDepth, listen, type HttpServerHandle } from '../src/http';

type ErrorBody = { errors: { extensions: { code: string; correlationId?: string } }[] };

/** One request on a given agent (keep-alive, one socket), bounded in time. */
function request(agent: http.Agent, url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', agent, headers: opts.headers, signal: AbortSignal.timeout(5_000) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    if (opts.chunked && opts.body) {
      const body = Buffer.from(opts.body);
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(opts.body);
  });
}

describe('the HTTP edge (gateway and subgraphs)', () => {
  let handle: HttpServerHandle;
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } });
  const json = { 'content-type': 'application/json' };
  const ok = JSON.stringify({ query: '{ hello }' });

  before(async () => {
    await apollo.start();
    handle = await listen(createGraphQLHandler({ apollo, context: async () => ({}), limits: { maxBodyBytes: 64 * 1024, maxJsonDepth: 16 } }), { port: 0 });
  });
  after(async () => {
    await handle.close();
    await apollo.stop();
  });

  for (const chunked of [false, true]) {
    it(`answers 413 PAYLOAD_TOO_LARGE with a correlation id, closes the connection, and answers the next request (${chunked ? 'chunked' : 'content-length'})`, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const big = JSON.stringify({ query: `{ hello } # ${'x'.repeat(300 * 1024)}` });
        const refused = await request(agent, handle.url, { headers: { ...json, 'x-request-id': 'edge-413' }, body: big, chunked });
        assert.equal(refused.status, 413);
        assert.equal(refused.headers.connection, 'close');
        assert.equal(refused.headers['x-request-id'], 'edge-413');
        const error = (JSON.parse(refused.body) as ErrorBody).errors[0]!;
        assert.equal(error.extensions.code, 'PAYLOAD_TOO_LARGE');
        assert.equal(error.extensions.correlationId, 'edge-413');
        for (let i = 0; i < 3; i++) {
          const next = await request(agent, handle.url, { headers: json, body: ok });
          assert.equal(next.status, 200, 'the next request on the same agent is answered');
        }
      } finally {
        agent.destroy();
      }
    });
  }

  it('answers bad JSON, deep JSON and batches with 400 BAD_REQUEST and a correlation id', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const body of ['{ nope', JSON.stringify({ query: '{ hello }', variables: { a: JSON.parse('['.repeat(40) + ']'.repeat(40)) } }), JSON.stringify([{ query: '{ hello }' }, { query: '{ hello }' }])]) {
        const res = await request(agent, handle.url, { headers: { ...json, 'x-request-id': 'edge-400' }, body });
        assert.equal(res.status, 400);
        const error = (JSON.parse(res.body) as ErrorBody).errors[0]!;
        assert.equal(error.extensions.code, 'BAD_REQUEST');
        assert.equal(error.extensions.correlationId, 'edge-400');
        assert.equal(res.headers['x-request-id'], 'edge-400');
      }
      assert.equal((await request(agent, handle.url, { headers: json, body: ok })).status, 200);
    } finally {
      agent.destroy();
    }
  });

  it('answers other methods with 405 and unknown paths with 404, coded', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const put = await request(agent, handle.url, { method: 'PUT', headers: json, body: ok });
      assert.equal(put.status, 405);
      assert.equal((JSON.parse(put.body) as ErrorBody).errors[0]!.extensions.code, 'METHOD_NOT_ALLOWED');
      const missing = await request(agent, handle.url.replace('/graphql', '/nope'), { method: 'GET' });
      assert.equal(missing.status, 404);
      assert.equal((JSON.parse(missing.body) as ErrorBody).errors[0]!.extensions.code, 'NOT_FOUND');
      assert.ok((JSON.parse(missing.body) as ErrorBody).errors[0]!.extensions.correlationId);
    } finally {
      agent.destroy();
    }
  });

  it('answers a URL over the header limit with 431 HEADERS_TOO_LARGE and closes', async () => {
    const socket = connect(handle.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (c) => (text += c.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.setTimeout(5_000, () => reject(new Error('no answer')));
      socket.write(`GET /graphql?query=${'a'.repeat(40_000)} HTTP/1.1\r\nhost: x\r\n\r\n`);
    });
    assert.match(reply, /^HTTP\/1\.1 431/);
    assert.match(reply, /HEADERS_TOO_LARGE/);
    assert.match(reply, /x-request-id: /);
  });

  it('measures JSON depth without recursion', () => {
    assert.equal(jsonDepth({ a: [1, { b: 2 }] }), 3);
    assert.equal(jsonDepth(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 10), 11);
  });
});
