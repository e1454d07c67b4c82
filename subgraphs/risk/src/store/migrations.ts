import { defineNeo4jMigrations } from '@baas/neo4j';

/**
 * The risk graph's constraints, applied in order at start and recorded as (:Migration) nodes.
 * Append only: an applied statement never changes (the start refuses it); add a new one instead.
 * Each unique constraint also gives its label an index on `id`, which every lookup by id uses.
 */
export const riskMigrations = defineNeo4jMigrations([
  { name: 'risk.001_customer_id_unique', cypher: 'CREATE CONSTRAINT risk_customer_id_unique IF NOT EXISTS FOR (c:Customer) REQUIRE c.id IS UNIQUE' },
  { name: 'risk.002_account_id_unique', cypher: 'CREATE CONSTRAINT risk_account_id_unique IF NOT EXISTS FOR (a:Account) REQUIRE a.id IS UNIQUE' },
  { name: 'risk.003_device_id_unique', cypher: 'CREATE CONSTRAINT risk_device_id_unique IF NOT EXISTS FOR (d:Device) REQUIRE d.id IS UNIQUE' },
  { name: 'risk.004_assessment_id_unique', cypher: 'CREATE CONSTRAINT risk_assessment_id_unique IF NOT EXISTS FOR (r:RiskAssessment) REQUIRE r.id IS UNIQUE' },
]);
