import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import { riskMigrations } from '../../src/store/migrations';
import { createGraphStore, type GraphStore } from '../../src/store/graph-store';
import { createIdentityPatterns } from '../../src/store/graph-patterns';
import { createFlowPatterns } from '../../src/store/graph-patterns-flow';
import { createDistancePatterns } from '../../src/store/graph-patterns-distance';
import { generateGraph, type GeneratedGraph } from './generate-graph';
import { ingest } from './ingest';

/**
 * The patterns on the real Neo4j, over a generated graph of ordinary traffic with planted patterns
 * and near misses: every planted pattern is found, and nothing else. Data is isolated by this run's
 * tenant ids (and ids), and deleted afterwards.
 */
const logger = createLogger({ service: 'risk-graph-test', level: 'silent' });
const config = { NEO4J_URL: process.env.NEO4J_URL ?? 'bolt://127.0.0.1:7687', NEO4J_USER: 'neo4j', NEO4J_PASSWORD: undefined };

for (const seed of [7, 1234]) {
  describe(`graph patterns (seed ${seed})`, () => {
    const run = `rg${randomBytes(4).toString('hex')}`;
    let neo: Neo4jStore;
    let store: GraphStore;
    let g: GeneratedGraph;
    const scope = () => ({ tenantIds: g.tenantIds });

    before(async () => {
      neo = await createNeo4j({ config, service: 'risk-test', logger, migrations: riskMigrations });
      store = createGraphStore(neo.driver);
      g = generateGraph(seed, run);
      await ingest(store, g);
    });
    after(async () => {
      await store?.deleteTenants(g.tenantIds).catch(() => undefined);
      // Outside accounts (no tenant) this run created: ext payers and cash-out accounts.
      await neo?.driver.executeQuery('MATCH (a:Account) WHERE a.id STARTS WITH $run DETACH DELETE a', { run: `${run}-` });
      await neo?.close();
    });

    it('the generator is deterministic', () => {
      const again = generateGraph(seed, run);
      assert.deepEqual(again.expected, g.expected);
      assert.equal(again.payments.length, g.payments.length);
    });

    it('shared identifiers: the ring and the near-miss device, never the public IP', async () => {
      const groups = await createIdentityPatterns(neo.driver).sharedIdentifiers(scope());
      assert.deepEqual(groups.map((x) => x.customers.map((c) => c.id)).sort(), g.expected.sharedGroups);
    });

    it('rings: connected components over shared identifiers, sized', async () => {
      const rings = await createIdentityPatterns(neo.driver).rings(scope());
      assert.deepEqual(rings.map((r) => r.customers.map((c) => c.id)).sort(), g.expected.rings);
      assert.deepEqual(rings.map((r) => r.size).sort(), g.expected.rings.map((r) => r.length).sort());
    });

    it('cycles of 3 to 5 payments, each once, never the 6-cycle', async () => {
      const cycles = await createFlowPatterns(neo.driver).cycles(scope(), g.now);
      assert.deepEqual(cycles.map((c) => c.accountIds), g.expected.cycles);
    });

    it('mules: only the planted one; the near misses score but are not mules', async () => {
      const stats = await createFlowPatterns(neo.driver).muleStats(scope(), g.now);
      assert.deepEqual(stats.filter((s) => s.mule).map((s) => s.accountId), g.expected.mules);
      const mule = stats.find((s) => s.accountId === g.expected.mules[0])!;
      assert.equal(mule.unrelatedPayers, 4);
      assert.equal(mule.outSum, (mule.inSum * 6n) / 10n + (mule.inSum * 3n) / 10n);
      const byId = new Map(stats.map((s) => [s.accountId, s]));
      for (const id of g.expected.notMules) assert.equal(byId.get(id)?.mule ?? false, false, id);
      assert.equal(byId.get(`${run}-a-nm1`)?.unrelatedPayers, 0, 'payers on the holder device are related');
      assert.equal(byId.get(`${run}-a-nm2`)?.score, 0.8 * 0.5, 'fan-in without fan-out');
    });

    it('distance to the confirmed fraudster, not through the hub merchant', async () => {
      const d = await createDistancePatterns(neo.driver).fraudDistances(scope(), g.now);
      assert.deepEqual(Object.fromEntries([...d.customers].sort()), Object.fromEntries(Object.entries(g.expected.customerDistances).sort()));
      assert.deepEqual(Object.fromEntries([...d.accounts].sort()), Object.fromEntries(Object.entries(g.expected.accountDistances).sort()));
    });

    it('replaying every event, in another order, leaves the graph as it was', async () => {
      const before = await store.countScope(g.tenantIds);
      await ingest(store, g, seed + 1);
      assert.deepEqual(await store.countScope(g.tenantIds), before);
      assert.ok(before.relationships >= g.payments.length);
    });
  });
}
