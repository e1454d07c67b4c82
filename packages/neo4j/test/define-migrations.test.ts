import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineNeo4jMigrations } from '../src/index';

describe('defineNeo4jMigrations (pure)', () => {
  it('accepts idempotent schema statements and data statements, with a checksum of the statement', () => {
    const [a, b] = defineNeo4jMigrations([
      { name: '001_customer_id', cypher: 'CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (c:Customer) REQUIRE c.id IS UNIQUE;' },
      { name: '002_backfill', cypher: 'MATCH (c:Customer) WHERE c.kind IS NULL SET c.kind = "PERSON"' },
    ]);
    assert.equal(a!.cypher.endsWith(';'), false);
    assert.match(a!.checksum, /^[0-9a-f]{64}$/);
    assert.notEqual(a!.checksum, b!.checksum);
  });

  it('refuses schema statements a restart could not repeat', () => {
    assert.throws(() => defineNeo4jMigrations([{ name: 'x', cypher: 'CREATE CONSTRAINT c FOR (c:C) REQUIRE c.id IS UNIQUE' }]), /IF NOT EXISTS/);
    assert.throws(() => defineNeo4jMigrations([{ name: 'x', cypher: 'create text index t for (n:N) on (n.p)' }]), /IF NOT EXISTS/);
    assert.throws(() => defineNeo4jMigrations([{ name: 'x', cypher: 'DROP INDEX t' }]), /IF EXISTS/);
  });

  it('refuses duplicate or malformed names, empty and multi-statement migrations', () => {
    const ok = 'CREATE INDEX i IF NOT EXISTS FOR (n:N) ON (n.p)';
    assert.throws(() => defineNeo4jMigrations([{ name: 'a', cypher: ok }, { name: 'a', cypher: ok }]), /twice/);
    assert.throws(() => defineNeo4jMigrations([{ name: 'a b', cypher: ok }]), /must match/);
    assert.throws(() => defineNeo4jMigrations([{ name: 'a', cypher: ' ; ' }]), /empty/);
    assert.throws(() => defineNeo4jMigrations([{ name: 'a', cypher: `${ok}; ${ok}` }]), /more than one/);
  });
});
