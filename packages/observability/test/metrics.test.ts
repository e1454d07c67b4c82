import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createMetrics, boundOperation } from '../src/index';

describe('createMetrics', () => {
  it('renders the request counter, the duration histograms and process metrics', async () => {
    const metrics = createMetrics({ service: 'accounts' });
    metrics.observeRequest({ operation: 'GetAccount', outcome: 'ok' }, 0.012);
    metrics.observeRequest({ operation: 'GetAccount', outcome: 'error' }, 0.3);
    metrics.observeSubgraph({ subgraph: 'ledger', outcome: 'ok' }, 0.004);
    const { contentType, body } = await metrics.render();

    assert.match(contentType, /^text\/plain/);
    assert.match(body, /# TYPE graphql_requests_total counter/);
    assert.match(body, /graphql_requests_total\{service="accounts",operation="GetAccount",outcome="ok"\} 1/);
    assert.match(body, /graphql_requests_total\{service="accounts",operation="GetAccount",outcome="error"\} 1/);
    assert.match(body, /# TYPE graphql_request_duration_seconds histogram/);
    assert.match(body, /graphql_request_duration_seconds_bucket\{le="0.001",service="accounts",operation="GetAccount"\} 0/);
    assert.match(body, /graphql_request_duration_seconds_bucket\{le="0.025",service="accounts",operation="GetAccount"\} 1/);
    assert.match(body, /graphql_request_duration_seconds_bucket\{le="10",service="accounts",operation="GetAccount"\} 2/);
    assert.match(body, /graphql_request_duration_seconds_count\{service="accounts",operation="GetAccount"\} 2/);
    assert.match(body, /subgraph_request_duration_seconds_count\{service="accounts",subgraph="ledger",outcome="ok"\} 1/);
    assert.match(body, /process_cpu_user_seconds_total/);
  });

  it('shares one registry between instances without registering anything twice', async () => {
    const registry = new Registry();
    const a = createMetrics({ service: 'a', registry });
    const b = createMetrics({ service: 'b', registry });
    a.observeRequest({ operation: 'Q', outcome: 'ok' }, 0.001);
    b.observeRequest({ operation: 'Q', outcome: 'ok' }, 0.001);
    const { body } = await b.render();
    assert.equal(body.match(/# TYPE process_cpu_user_seconds_total/g)?.length, 1);
    assert.match(body, /graphql_requests_total\{service="a",operation="Q",outcome="ok"\} 1/);
    assert.match(body, /graphql_requests_total\{service="b",operation="Q",outcome="ok"\} 1/);
  });

  it('bounds the operation label', async () => {
    assert.equal(boundOperation('GetAccount'), 'GetAccount');
    assert.equal(boundOperation(undefined), 'anonymous');
    assert.equal(boundOperation(''), 'anonymous');
    assert.equal(boundOperation('query { x }'), 'anonymous');
    assert.equal(boundOperation('a"b'), 'anonymous');
    assert.equal(boundOperation('Op'.repeat(100)).length, 64);

    const metrics = createMetrics({ service: 's', maxOperations: 3 });
    for (let i = 0; i < 10; i++) metrics.observeRequest({ operation: `Op${i}`, outcome: 'ok' }, 0.01);
    const { body } = await metrics.render();
    const operations = new Set([...body.matchAll(/graphql_requests_total\{[^}]*operation="([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...operations].sort(), ['Op0', 'Op1', 'Op2', 'other']);
  });
});
