import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import { createGraphQLHandler, listen, type HttpServerHandle } from '../src/http';

describe('createGraphQLHandler', () => {
  let handle: HttpServerHandle;
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String! boom: String }', resolvers: { Query: { hello: () => 'world', boom: () => { throw new Error('SELECT secret FROM t'); } } } });

  before(async () => {
    await apollo.start();
    handle = await listen(
      createGraphQLHandler({ apollo, context: async () => ({}), routes: { '/healthz': (_req, res) => void res.end('ok') } }),
      { port: 0 },
    );
  });
  after(async () => {
    await handle.close();
    await apollo.stop();
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(handle.url, { method: 'POST', headers, body });

  it('executes a query', async () => {
    const res = await post(JSON.stringify({ query: '{ hello }' }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { hello: 'world' } });
  });

  it('answers bad JSON with 400 BAD_REQUEST', async () => {
    const res = await post('{ nope');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code, 'BAD_REQUEST');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await post(JSON.stringify({ query: `{ hello } # ${'x'.repeat(1_100_000)}` }));
    assert.equal(res.status, 413);
  });

  it('serves routes and 404s elsewhere', async () => {
    assert.equal(await (await fetch(handle.url.replace('/graphql', '/healthz'))).text(), 'ok');
    assert.equal((await fetch(handle.url.replace('/graphql', '/nope'))).status, 404);
  });

  it('refuses a simple cross-site request (CSRF prevention)', async () => {
    const res = await fetch(`${handle.url}?query=${encodeURIComponent('{ hello }')}`);
    assert.equal(res.status, 400);
  });
});
