import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { connectEvents, type EventBus } from '@baas/events';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import { eventually } from '@baas/testing';
import { riskMigrations } from '../../src/store/migrations';
import { createGraphStore, type GraphStore } from '../../src/store/graph-store';
import { createIdentityPatterns } from '../../src/store/graph-patterns';
import { startGraphConsumer, type GraphConsumer } from '../../src/workers/graph-consumer';

/**
 * Identity's `identity.events.customer.identifiers` events into the risk graph, over the real NATS
 * and Neo4j on a stream, subjects and tenants of this run's own: two customers of a tenant whose
 * phones have the same blind index share an identifier (sharedIdentifiers finds them); a clear
 * e-mail is dropped; a redelivered event changes nothing.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const logger = createLogger({ service: 'risk-identity-events-test', level: 'silent' });

describe('risk graph: identity events', () => {
  const run = `rie${randomBytes(4).toString('hex')}`;
  const stream = { name: `RIE_${run}`, subjects: [`${run}.>`] };
  const tenantId = `${run}-t`;
  const other = `${run}-u`;
  // What identity publishes: HMAC blind indexes (base64url) and SHA-256 hex digests.
  const phoneIndex = randomBytes(32).toString('base64url');
  const emailIndex = randomBytes(32).toString('base64url');
  const passkey = createHash('sha256').update(`${run}-credential`).digest('hex');
  let neo: Neo4jStore;
  let store: GraphStore;
  let bus: EventBus;
  let consumer: GraphConsumer;

  before(async () => {
    neo = await createNeo4j({ config: { NEO4J_URL: 'bolt://127.0.0.1:7687', NEO4J_USER: 'neo4j' }, service: 'risk-test', logger, migrations: riskMigrations });
    store = createGraphStore(neo.driver);
    bus = await connectEvents({ url: NATS_URL, name: 'risk-identity-events-test' });
    await bus.ensureStream(stream);
    consumer = await startGraphConsumer({
      natsUrl: NATS_URL,
      store,
      logger,
      ledgerStream: stream.name,
      riskStream: stream,
      identityStream: stream.name,
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
    await store?.deleteTenants([tenantId, other]).catch(() => undefined);
    await neo?.close();
  });

  const publish = (id: string, data: unknown) =>
    bus.publish(`${run}.identity.events.customer.identifiers`, { id: `${run}-${id}`, type: 'identity.events.customer.identifiers', data });

  it('links the customers of a tenant that share a phone, and keeps clear PII out', async () => {
    const c = (x: string) => `${run}-c-${x}`;
    const at = '2026-12-01T10:00:00.000Z';
    await publish('e1', { tenantId, customerId: c('a'), identifiers: [{ kind: 'PHONE', value: phoneIndex }, { kind: 'EMAIL', value: 'clear@example.com' }], at });
    await publish('e2', { tenantId, customerId: c('b'), identifiers: [{ kind: 'PHONE', value: phoneIndex }, { kind: 'EMAIL', value: emailIndex }, { kind: 'PHONE', value: '+5511999990000' }], at });
    await publish('e3', { tenantId, customerId: c('b'), identifiers: [{ kind: 'DEVICE', value: passkey }], at });
    // The same event again under a new message id (a relay republishing after the duplicate window).
    await publish('e1b', { tenantId, customerId: c('a'), identifiers: [{ kind: 'PHONE', value: phoneIndex }], at });
    await publish('bad', { customerId: c('x'), identifiers: [] });
    // Another tenant's customer with the same index is not part of this tenant's findings.
    await publish('e4', { tenantId: other, customerId: c('o'), identifiers: [{ kind: 'PHONE', value: randomBytes(32).toString('base64url') }], at });

    const patterns = createIdentityPatterns(neo.driver);
    await eventually(async () => assert.equal((await store.countScope([tenantId, other])).nodes, 7), { attempts: 200, delayMs: 100 });
    const groups = await patterns.sharedIdentifiers({ tenantIds: [tenantId] });
    assert.deepEqual(groups, [{ identifierKey: `PHONE:${phoneIndex}`, kind: 'PHONE', customers: [{ id: c('a'), tenantId }, { id: c('b'), tenantId }] }]);
    // 3 customers (a, b, o) and 4 identifiers (phone, e-mail index, passkey digest, o's phone); 5 USES.
    assert.deepEqual(await store.countScope([tenantId, other]), { nodes: 7, relationships: 5 });
    const values = await neo.driver.executeQuery('MATCH (:Customer {tenantId: $t})-[:USES]->(i:Identifier) RETURN i.value AS value', { t: tenantId });
    for (const r of values.records) {
      const v = String(r.get('value'));
      assert.ok(!v.includes('@') && !/^\+?[0-9]+$/.test(v), 'no clear e-mail or phone in the graph');
    }
    const customers = await neo.driver.executeQuery('MATCH (c:Customer) WHERE c.id STARTS WITH $p RETURN c.id AS id, c.tenantId AS t ORDER BY id', { p: run });
    assert.deepEqual(customers.records.map((r) => [r.get('id'), r.get('t')]), [[c('a'), tenantId], [c('b'), tenantId], [c('o'), other]]);
  });
});
