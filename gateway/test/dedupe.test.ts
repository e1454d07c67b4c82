import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import type { KeepAliveFetch } from '@baas/server';
import { RoundRobinBalancer } from '../src/balancer';
import { CircuitBreaker } from '../src/circuit-breaker';
import type { GatewayContext } from '../src/context';
import { SubgraphDataSource } from '../src/subgraph-data-source';

const alice: Identity = { subject: 'alice', kind: 'customer', tenantId: 't1', scopes: ['accounts:read'] };
const bob: Identity = { subject: 'bob', kind: 'customer', tenantId: 't1', scopes: ['accounts:read'] };

/** A subgraph that answers after `ms`, counting the calls that reach it. */
function slowSubgraph(ms = 30) {
  const calls: string[] = [];
  const fetcher = (async (_url: string, init: { body?: string } = {}) => {
    calls.push(init.body ?? '');
    await new Promise((r) => setTimeout(r, ms));
    return new Response(JSON.stringify({ data: { viewer: { subject: 'x', nested: { n: calls.length } } } }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as KeepAliveFetch;
  return { calls, fetcher };
}

function source(fetcher: KeepAliveFetch, dedupe: boolean, outcomes: string[] = []) {
  return new SubgraphDataSource('identity', new RoundRobinBalancer('identity', ['http://127.0.0.1:1/graphql']), new CircuitBreaker('identity', { failureThreshold: 5, resetMs: 1_000 }), fetcher, (_s, outcome) => void outcomes.push(outcome), undefined, dedupe);
}

function call(ds: SubgraphDataSource, who: Identity | null, query = 'query V { viewer { subject } }', variables: Record<string, unknown> = {}, operation: 'query' | 'mutation' = 'query') {
  const context = { identity: who, correlationId: 'c', identityAssertion: async () => null } as GatewayContext;
  return ds.process({
    kind: 'incoming operation',
    request: { query, variables, http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers: new Headers() } },
    context,
    incomingRequestContext: { operation: { operation } },
  } as never);
}

describe('gateway: in-flight deduplication of identical subgraph calls', () => {
  it('identical queries from one caller in flight share one call; each gets its own copy of the answer', async () => {
    const s = slowSubgraph();
    const outcomes: string[] = [];
    const ds = source(s.fetcher, true, outcomes);
    const answers = await Promise.all(Array.from({ length: 16 }, () => call(ds, alice)));
    assert.equal(s.calls.length, 1);
    assert.deepEqual([outcomes.filter((o) => o === 'ok').length, outcomes.filter((o) => o === 'deduplicated').length], [1, 15]);
    for (const a of answers) assert.deepEqual(a.data, answers[0]!.data);
    (answers[1]!.data as { viewer: { nested: { n: number } } }).viewer.nested.n = 99;
    assert.equal((answers[2]!.data as { viewer: { nested: { n: number } } }).viewer.nested.n, 1, 'copies, not one shared object');
    // Not cached: once answered, the next identical query goes out again.
    await call(ds, alice);
    assert.equal(s.calls.length, 2);
  });

  it('another caller, other variables, another document, a mutation, or deduplication off: each call goes out', async () => {
    const s = slowSubgraph();
    const ds = source(s.fetcher, true);
    await Promise.all([
      call(ds, alice),
      call(ds, bob),
      call(ds, null),
      call(ds, { ...alice, scopes: ['accounts:read', 'accounts:write'] }),
      call(ds, { ...alice, stepUpAt: 1_800_000_000 }),
      call(ds, alice, 'query V($id: ID!) { account(id: $id) { id } }', { id: '1' }),
      call(ds, alice, 'query V($id: ID!) { account(id: $id) { id } }', { id: '2' }),
      call(ds, alice, 'mutation M { logout }', {}, 'mutation'),
      call(ds, alice, 'mutation M { logout }', {}, 'mutation'),
    ]);
    assert.equal(s.calls.length, 9);
    const off = slowSubgraph();
    const plain = source(off.fetcher, false);
    await Promise.all(Array.from({ length: 4 }, () => call(plain, alice)));
    assert.equal(off.calls.length, 4);
  });
});
