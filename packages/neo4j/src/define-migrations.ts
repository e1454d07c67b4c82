import { createHash } from 'node:crypto';

/** One named Cypher statement, applied once per database, in list order. */
export type Neo4jMigration = {
  /** Stable, unique, never renamed: the record in the graph is keyed by it. */
  name: string;
  /** One Cypher statement. Schema statements must say IF NOT EXISTS / IF EXISTS. */
  cypher: string;
};

export type CheckedMigration = Neo4jMigration & { checksum: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const CREATE_SCHEMA = /^\s*CREATE\s+(?:(?:RANGE|TEXT|POINT|FULLTEXT|LOOKUP|VECTOR)\s+)?(?:INDEX|CONSTRAINT)\b/i;
const DROP_SCHEMA = /^\s*DROP\s+(?:INDEX|CONSTRAINT)\b/i;

/**
 * Checks a migration list once, when the module defining it loads: unique well-formed names, one
 * statement each, and schema statements that are idempotent. A process can die between applying a
 * statement and recording it, so the next start runs it again: it must be harmless to repeat.
 */
export function defineNeo4jMigrations(migrations: readonly Neo4jMigration[]): readonly CheckedMigration[] {
  const seen = new Set<string>();
  return migrations.map(({ name, cypher }) => {
    if (!NAME.test(name)) throw new Error(`Neo4j migration name ${JSON.stringify(name)} must match ${NAME}`);
    if (seen.has(name)) throw new Error(`Neo4j migration ${name} is listed twice`);
    seen.add(name);
    const statement = cypher.trim().replace(/;$/, '').trim();
    if (statement === '') throw new Error(`Neo4j migration ${name} is empty`);
    if (statement.includes(';')) throw new Error(`Neo4j migration ${name} holds more than one statement; give each its own name`);
    if (CREATE_SCHEMA.test(statement) && !/\bIF\s+NOT\s+EXISTS\b/i.test(statement)) {
      throw new Error(`Neo4j migration ${name} must say IF NOT EXISTS (a restart may run it again)`);
    }
    if (DROP_SCHEMA.test(statement) && !/\bIF\s+EXISTS\b/i.test(statement)) {
      throw new Error(`Neo4j migration ${name} must say IF EXISTS (a restart may run it again)`);
    }
    return { name, cypher: statement, checksum: createHash('sha256').update(statement).digest('hex') };
  });
}
