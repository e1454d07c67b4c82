import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { createGraphQLHandler, listen, routeFor, type HttpServerHandle, type Route } from '../src/http';

describe('routeFor (exact paths and /* prefixes)', () => {
  const exact: Route = () => undefined;
  const short: Route = () => undefined;
  const long: Route = () => undefined;
  const routes = { '/pix/v2/jwks': exact, '/pix/*': short, '/pix/v2/cob/*': long };

  it('prefers the exact key, then the longest prefix', () => {
    assert.equal(routeFor(routes, '/pix/v2/jwks'), exact);
    assert.equal(routeFor(routes, '/pix/v2/cob/abc'), long);
    assert.equal(routeFor(routes, '/pix/v2/other'), short);
  });

  it('needs something after the prefix and matches nothing else', () => {
    assert.equal(routeFor(routes, '/pix/v2/cob/'), short);
    assert.equal(routeFor({ '/pix/v2/cob/*': long }, '/pix/v2/cob/'), undefined);
    assert.equal(routeFor({ '/pix/v2/cob/*': long }, '/pix/v2/cob'), undefined);
    assert.equal(routeFor({ '/pix/v2/cob/*': long }, '/pix/v2/cobx'), undefined);
    assert.equal(routeFor(routes, '/graphql'), undefined);
    assert.equal(routeFor(undefined, '/x'), undefined);
    assert.equal(routeFor({}, 'toString'), undefined);
  });
});

describe('createGraphQLHandler with a prefix route', () => {
  let handle: HttpServerHandle;
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } });

  before(async () => {
    await apollo.start();
    const routes: Record<string, Route> = { '/items/*': (req, res) => void res.end(`item ${new URL(req.url ?? '/', 'http://x').pathname.slice('/items/'.length)}`) };
    handle = await listen(createGraphQLHandler({ apollo, context: async () => ({}), routes }), { port: 0 });
  });
  after(async () => {
    await handle.close();
    await apollo.stop();
  });

  it('answers paths under the prefix and 404s the bare prefix', async () => {
    const base = handle.url.replace('/graphql', '');
    assert.equal(await (await fetch(`${base}/items/42?x=1`)).text(), 'item 42');
    assert.equal((await fetch(`${base}/items/`)).status, 404);
    const gql = await fetch(handle.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    assert.deepEqual(await gql.json(), { data: { hello: 'world' } });
  });
});
