import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { connectEvents, type EventBus } from '@baas/events';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import { eventually } from '@baas/testing';
import { riskMigrations } from '../../src/store/migrations';
import { createGraphStore, type GraphStore } from '../../src/store/graph-store';
import { startGraphConsumer, type GraphConsumer } from '../../src/workers/graph-consumer';

/**
 * The graph consumer over the real NATS JetStream and Neo4j, on a stream and subjects of this run's
 * own: ledger events become PAID edges, observed events holders and identifiers; a write that
 * fails (as while Neo4j is away) is redelivered and applied later; a redelivered or republished
 * event changes nothing; a payload without a transfer is skipped.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const logger = createLogger({ service: 'risk-graph-consumer-test', level: 'silent' });

describe('risk graph consumer', () => {
  const run = `rgc${randomBytes(4).toString('hex')}`;
  const stream = { name: `RGT_${run}`, subjects: [`${run}.>`] };
  const tenantId = `${run}-t`;
  let neo: Neo4jStore;
  let store: GraphStore;
  let bus: EventBus;
  let consumer: GraphConsumer;
  let failuresLeft = 2;

  before(async () => {
    neo = await createNeo4j({ config: { NEO4J_URL: 'bolt://127.0.0.1:7687', NEO4J_USER: 'neo4j' }, service: 'risk-test', logger, migrations: riskMigrations });
    store = createGraphStore(neo.driver);
    bus = await connectEvents({ url: NATS_URL, name: 'risk-graph-consumer-test' });
    await bus.ensureStream(stream);
    // The first two payments fail the way a write does while Neo4j is away.
    const flaky: GraphStore = {
      ...store,
      recordPayment: async (p) => {
        if (failuresLeft-- > 0) throw new Error('Neo4j unavailable (injected)');
        return store.recordPayment(p);
      },
    };
    consumer = await startGraphConsumer({
      natsUrl: NATS_URL,
      store: flaky,
      logger,
      ledgerStream: stream.name,
      identityStream: stream.name,
      riskStream: stream,
      durablePrefix: run,
      retryDelayMs: 50,
      pullExpiresMs: 1000,
      subjects: { posted: `${run}.ledger.transfer.posted`, observed: `${run}.risk.observed.>`, identity: `${run}.identity.events.customer.>` },
    });
  });
  after(async () => {
    await consumer?.stop();
    await bus?.close();
    const nc = await connect({ servers: NATS_URL });
    await (await nc.jetstreamManager()).streams.delete(stream.name).catch(() => undefined);
    await nc.close();
    await store?.deleteTenants([tenantId]).catch(() => undefined);
    await neo?.close();
  });

  const posted = (n: number, from: string, to: string) => ({
    eventId: `${run}-ev-${n}`,
    type: 'ledger.transfer.posted',
    seq: String(n),
    occurredAt: '2025-06-01T10:00:00.000Z',
    accountIds: [from, to],
    transfer: { id: `${run}-tr-${n}`, kind: 'SINGLE', debitAccountId: from, creditAccountId: to, amount: String(1000 * n), currency: 'BRL', code: 1, pendingId: null },
    accounts: [],
  });

  it('builds the graph from the streams, retrying failed writes, once per transfer', async () => {
    const a = (x: string) => `${run}-a-${x}`;
    for (const [i, x] of ['p', 'q', 'r'].entries()) {
      await bus.publish(`${run}.risk.observed.transfer`, {
        id: `${run}-obs-${i}`,
        type: 'risk.observed',
        data: { tenantId, customerId: `${run}-c-${x}`, accountId: a(x), identifiers: [{ kind: 'DEVICE', value: `${run}-dev-${x}` }, { kind: 'EMAIL', value: 'clear@example.com' }] },
      });
    }
    await bus.publish(`${run}.ledger.transfer.posted`, { id: `${run}-ev-1`, type: 'ledger.transfer.posted', data: posted(1, a('p'), a('q')) });
    await bus.publish(`${run}.ledger.transfer.posted`, { id: `${run}-ev-2`, type: 'ledger.transfer.posted', data: posted(2, a('q'), a('r')) });
    await bus.publish(`${run}.ledger.transfer.posted`, { id: `${run}-ev-bad`, type: 'ledger.transfer.posted', data: { nothing: true } });
    // The same transfer again under another event id (a relay republishing after the duplicate window).
    await bus.publish(`${run}.ledger.transfer.posted`, { id: `${run}-ev-2b`, type: 'ledger.transfer.posted', data: posted(2, a('q'), a('r')) });
    await bus.publish(`${run}.ledger.transfer.posted`, { id: `${run}-ev-3`, type: 'ledger.transfer.posted', data: posted(3, a('r'), a('p')) });

    const paid = async () =>
      (await neo.driver.executeQuery('MATCH (x:Account)-[r:PAID]->(y:Account) WHERE x.tenantId = $t RETURN r.transferId AS id, r.amount AS amount ORDER BY id', { t: tenantId })).records.map(
        (r) => `${r.get('id')}=${r.get('amount')}`,
      );
    await eventually(async () => assert.equal((await paid()).length, 3), { attempts: 200, delayMs: 100 });
    assert.deepEqual(await paid(), [`${run}-tr-1=1000`, `${run}-tr-2=2000`, `${run}-tr-3=3000`]);
    assert.ok(failuresLeft < 0, 'the failed writes were retried');
    const counts = await store.countScope([tenantId]);
    // 3 customers, 3 accounts, 3 devices (the clear e-mail was dropped); 3 HOLDS, 3 USES, 3 PAID.
    assert.deepEqual(counts, { nodes: 9, relationships: 9 });
    const identifiers = await neo.driver.executeQuery('MATCH (:Customer {tenantId: $t})-[:USES]->(i:Identifier) RETURN i.kind AS kind, i.value AS value', { t: tenantId });
    assert.ok(identifiers.records.every((r) => r.get('kind') === 'DEVICE' && !String(r.get('value')).includes('@')));
  });
});
