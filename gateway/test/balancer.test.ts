import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoundRobinBalancer, healthUrlOf } from '../src/balancer';

describe('RoundRobinBalancer', () => {
  it('rotates over instances and skips unhealthy ones', () => {
    const b = new RoundRobinBalancer('accounts', ['http://a/graphql', 'http://b/graphql', 'http://c/graphql']);
    assert.deepEqual([b.pick(), b.pick(), b.pick(), b.pick()], ['http://a/graphql', 'http://b/graphql', 'http://c/graphql', 'http://a/graphql']);
    b.mark('http://b/graphql', false);
    const picks = Array.from({ length: 6 }, () => b.pick());
    assert.ok(!picks.includes('http://b/graphql'));
    assert.equal(new Set(picks).size, 2);
  });

  it('still tries instances in turn when all are unhealthy', () => {
    const b = new RoundRobinBalancer('kyc', ['http://a/graphql', 'http://b/graphql']);
    b.mark('http://a/graphql', false);
    b.mark('http://b/graphql', false);
    assert.equal(b.anyHealthy, false);
    assert.deepEqual(new Set([b.pick(), b.pick()]), new Set(['http://a/graphql', 'http://b/graphql']));
  });

  it('derives the health URL', () => {
    assert.equal(healthUrlOf('http://127.0.0.1:4102/graphql?x=1'), 'http://127.0.0.1:4102/healthz');
  });
});
