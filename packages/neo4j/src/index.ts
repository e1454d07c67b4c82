export { neo4jEnv, type Neo4jEnv } from './neo4j-env';
export { createNeo4j, type CreateNeo4jOptions, type Neo4jStore, type Neo4jTimeouts } from './create-neo4j';
export { defineNeo4jMigrations, type Neo4jMigration } from './define-migrations';
export { applyNeo4jMigrations, Neo4jMigrationError, type ApplyNeo4jMigrationsOptions } from './apply-migrations';
