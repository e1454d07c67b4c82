import { randomBytes } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import { createMemoryLogger } from '@baas/observability';

export const NEO4J_URL = 'bolt://127.0.0.1:7687';

/**
 * Neo4j community has one database, shared with every other test: each run names its labels and
 * constraints with its own prefix and removes exactly those afterwards.
 */
export function isolatedGraph() {
  const prefix = `T${randomBytes(5).toString('hex')}`;
  const driver: Driver = neo4j.driver(NEO4J_URL, undefined, { connectionAcquisitionTimeout: 5_000, maxTransactionRetryTime: 5_000 });
  return {
    prefix,
    driver,
    label: (name: string) => `${prefix}${name}`,
    /** Removes this run's constraints, indexes and nodes; one failed step does not stop the others. */
    async cleanup() {
      const lower = prefix.toLowerCase();
      const names = async (query: string, column: string) => (await driver.executeQuery(query)).records.map((r) => r.get(column) as string);
      // In order: constraints first (each drops the index it owns), then free-standing indexes
      // (an index a constraint owns cannot be dropped on its own), then nodes. A failed step is
      // remembered and the next one still runs.
      const steps: (() => Promise<unknown>)[] = [
        async () => {
          for (const name of (await names('SHOW CONSTRAINTS YIELD name RETURN name', 'name')).filter((n) => n.toLowerCase().startsWith(lower))) {
            await driver.executeQuery(`DROP CONSTRAINT ${name} IF EXISTS`);
          }
        },
        async () => {
          const free = await names('SHOW INDEXES YIELD name, owningConstraint WHERE owningConstraint IS NULL RETURN name', 'name');
          for (const name of free.filter((n) => n.toLowerCase().startsWith(lower))) {
            await driver.executeQuery(`DROP INDEX ${name} IF EXISTS`);
          }
        },
        async () => {
          for (const label of (await names('CALL db.labels() YIELD label RETURN label', 'label')).filter((l) => l.startsWith(prefix))) {
            await driver.executeQuery(`MATCH (n:${label}) DETACH DELETE n`);
          }
        },
      ];
      const failures: unknown[] = [];
      for (const step of steps) await step().catch((error: unknown) => failures.push(error));
      await driver.close();
      if (failures.length > 0) throw failures[0];
    },
  };
}

/** A logger whose lines are kept in memory. */
export const memoryLogger = () => createMemoryLogger('neo4j-test');

/** A TCP port nothing listens on (taken from the OS, then released). */
export { freePort as closedPort } from '@baas/testing';
