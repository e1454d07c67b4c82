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
  { name: 'risk.005_identifier_key_unique', cypher: 'CREATE CONSTRAINT risk_identifier_key_unique IF NOT EXISTS FOR (i:Identifier) REQUIRE i.key IS UNIQUE' },
  { name: 'risk.006_paid_transfer_unique', cypher: 'CREATE CONSTRAINT risk_paid_transfer_unique IF NOT EXISTS FOR ()-[r:PAID]-() REQUIRE r.transferId IS UNIQUE' },
  { name: 'risk.007_customer_tenant', cypher: 'CREATE INDEX risk_customer_tenant IF NOT EXISTS FOR (c:Customer) ON (c.tenantId)' },
  { name: 'risk.008_account_tenant', cypher: 'CREATE INDEX risk_account_tenant IF NOT EXISTS FOR (a:Account) ON (a.tenantId)' },
  { name: 'risk.009_paid_at', cypher: 'CREATE INDEX risk_paid_at IF NOT EXISTS FOR ()-[r:PAID]-() ON (r.at)' },
  { name: 'risk.010_customer_fraud', cypher: 'CREATE INDEX risk_customer_fraud IF NOT EXISTS FOR (c:Customer) ON (c.confirmedFraud)' },
  { name: 'risk.011_account_fraud', cypher: 'CREATE INDEX risk_account_fraud IF NOT EXISTS FOR (a:Account) ON (a.confirmedFraud)' },
  { name: 'risk.012_assessment_tenant_created', cypher: 'CREATE INDEX risk_assessment_tenant_created IF NOT EXISTS FOR (r:RiskAssessment) ON (r.tenantId, r.createdAt)' },
  { name: 'risk.013_settings_tenant_unique', cypher: 'CREATE CONSTRAINT risk_settings_tenant_unique IF NOT EXISTS FOR (s:RiskSettings) REQUIRE s.tenantId IS UNIQUE' },
]);
