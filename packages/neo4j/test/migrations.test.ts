import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyNeo4jMigrations, createNeo4j, defineNeo4jMigrations, Neo4jMigrationError } from '../src/index';
import { closedPort, isolatedGraph, memoryLogger, NEO4J_URL } from './helpers';

const TIMEOUT = { timeout: 60_000 };

describe('@baas/neo4j against the real Neo4j', () => {
  const graph = isolatedGraph();
  const { prefix, driver, label } = graph;
  const lower = prefix.toLowerCase();
  const migrations = defineNeo4jMigrations([
    { name: '001_thing_id', cypher: `CREATE CONSTRAINT ${lower}_thing_id IF NOT EXISTS FOR (t:${label('Thing')}) REQUIRE t.id IS UNIQUE` },
    { name: '002_thing_kind', cypher: `CREATE INDEX ${lower}_thing_kind IF NOT EXISTS FOR (t:${label('Thing')}) ON (t.kind)` },
    // Not idempotent on purpose: the count shows how many times it ran.
    { name: '003_count_runs', cypher: `MERGE (c:${label('Counter')} {id: 'runs'}) ON CREATE SET c.n = 0 SET c.n = c.n + 1` },
  ]);
  const count = async (cypher: string) => Number((await driver.executeQuery(cypher)).records[0]!.get(0));

  after(() => graph.cleanup());

  it('two processes starting together apply each migration once and record each once', TIMEOUT, async () => {
    const { logger } = memoryLogger();
    const drivers = [0, 1].map(() => createNeo4j({ config: { NEO4J_URL, NEO4J_USER: 'neo4j' }, service: 'test', logger, migrations, migrationLabel: label('Migration') }));
    const stores = await Promise.all(drivers);
    try {
      assert.deepEqual(stores.flatMap((s) => s.migrated).sort(), ['001_thing_id', '002_thing_kind', '003_count_runs']);
      assert.equal(await count(`MATCH (c:${label('Counter')} {id: 'runs'}) RETURN c.n`), 1);
      assert.equal(await count(`MATCH (m:${label('Migration')}) RETURN count(m)`), 3);
      assert.equal(await stores[0]!.isReady(), true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    // The constraint holds.
    await driver.executeQuery(`CREATE (:${label('Thing')} {id: 'a'})`);
    await assert.rejects(driver.executeQuery(`CREATE (:${label('Thing')} {id: 'a'})`), (err: { code?: string }) => err.code === 'Neo.ClientError.Schema.ConstraintValidationFailed');
    const names = (await driver.executeQuery('SHOW INDEXES YIELD name RETURN name')).records.map((r) => r.get('name') as string);
    assert.ok(names.includes(`${lower}_thing_kind`));
  });

  it('a later start applies nothing; a new migration is applied alone', TIMEOUT, async () => {
    const { logger } = memoryLogger();
    assert.deepEqual(await applyNeo4jMigrations({ driver, migrations, logger, label: label('Migration') }), { applied: [] });
    const more = defineNeo4jMigrations([
      ...migrations,
      { name: '004_thing_name', cypher: `CREATE INDEX ${lower}_thing_name IF NOT EXISTS FOR (t:${label('Thing')}) ON (t.name)` },
    ]);
    assert.deepEqual(await applyNeo4jMigrations({ driver, migrations: more, logger, label: label('Migration') }), { applied: ['004_thing_name'] });
    assert.equal(await count(`MATCH (c:${label('Counter')} {id: 'runs'}) RETURN c.n`), 1);
  });

  it('an applied migration whose statement changed stops the start', TIMEOUT, async () => {
    const { logger } = memoryLogger();
    const changed = defineNeo4jMigrations([{ name: '002_thing_kind', cypher: `CREATE INDEX ${lower}_thing_kind2 IF NOT EXISTS FOR (t:${label('Thing')}) ON (t.other)` }]);
    await assert.rejects(applyNeo4jMigrations({ driver, migrations: changed, logger, label: label('Migration') }), (err) => err instanceof Neo4jMigrationError && /changed/.test(err.message));
  });

  it('a lock held by a live process is waited for (bounded); one left by a crashed process expires', TIMEOUT, async () => {
    const { logger } = memoryLogger();
    const lockLabel = label('Migration') + 'Lock';
    const pending = defineNeo4jMigrations([{ name: '005_other', cypher: `CREATE INDEX ${lower}_thing_other IF NOT EXISTS FOR (t:${label('Thing')}) ON (t.other)` }]);
    await driver.executeQuery(`MATCH (l:${lockLabel} {id: 'migrations'}) SET l.holder = 'live', l.expiresAt = timestamp() + 600000`);
    await assert.rejects(
      applyNeo4jMigrations({ driver, migrations: pending, logger, label: label('Migration'), lockWaitMs: 500 }),
      (err) => err instanceof Neo4jMigrationError && /stayed taken/.test(err.message),
    );
    await driver.executeQuery(`MATCH (l:${lockLabel} {id: 'migrations'}) SET l.holder = 'crashed', l.expiresAt = timestamp() - 1`);
    assert.deepEqual(await applyNeo4jMigrations({ driver, migrations: pending, logger, label: label('Migration'), lockWaitMs: 500 }), { applied: ['005_other'] });
    assert.equal(await count(`MATCH (l:${lockLabel}) WHERE l.holder IS NULL RETURN count(l)`), 1, 'released after use');
  });

  it('with Neo4j unreachable: start fails instead of hanging, readiness is false, queries fail', TIMEOUT, async () => {
    const { logger } = memoryLogger();
    const config = { NEO4J_URL: `bolt://127.0.0.1:${await closedPort()}`, NEO4J_USER: 'neo4j' };
    const timeouts = { maxTransactionRetryTimeMs: 500 };
    await assert.rejects(createNeo4j({ config, service: 'test', logger, migrations, migrationLabel: label('Migration'), timeouts }), (err: { code?: string }) => err.code === 'ServiceUnavailable');
    const store = await createNeo4j({ config, service: 'test', logger, timeouts });
    try {
      assert.equal(await store.isReady(), false);
      await assert.rejects(store.driver.executeQuery('RETURN 1'), (err: { code?: string }) => err.code === 'ServiceUnavailable');
    } finally {
      await store.close();
    }
  });
});
