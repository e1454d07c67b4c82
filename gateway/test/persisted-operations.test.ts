import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPersistedOperationManifest, MANIFEST_PATH } from '../scripts/persisted-operations';
import { PersistedQueryCache, readPersistedOperations, sha256Hex } from '../src/persisted-operations';

describe('persisted operations manifest', () => {
  it('schema/persisted-operations.json is up to date with the SDK operations (npx tsx gateway/scripts/persisted-operations.ts)', () => {
    assert.equal(readFileSync(MANIFEST_PATH, 'utf8'), buildPersistedOperationManifest(), 'regenerate with: npx tsx gateway/scripts/persisted-operations.ts');
  });

  it('has every SDK operation once, keyed by the sha256 of what the SDK sends', () => {
    const manifest = readPersistedOperations(MANIFEST_PATH);
    assert.ok(manifest.size > 10);
    const names = (JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as { operations: { name: string }[] }).operations.map((o) => o.name);
    assert.ok(names.includes('Viewer'));
    for (const [id, body] of manifest) assert.equal(sha256Hex(body), id);
  });

  it('refuses a manifest whose id is not the hash of its body', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pq-'));
    const path = join(dir, 'm.json');
    writeFileSync(path, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256Hex('{ a }'), name: 'X', type: 'query', body: '{ b }' }] }));
    assert.throws(() => readPersistedOperations(path), /not the sha256/);
  });

  it('APQ cache: the manifest first (Apollo prefixes keys with apq:), registrations bounded, manifest entries never replaced', async () => {
    const manifest = new Map([[sha256Hex('{ a }'), '{ a }']]);
    const cache = new PersistedQueryCache(manifest, 2);
    assert.equal(await cache.get(`apq:${sha256Hex('{ a }')}`), '{ a }');
    await cache.set(`apq:${sha256Hex('{ a }')}`, '{ other }');
    assert.equal(await cache.get(`apq:${sha256Hex('{ a }')}`), '{ a }');
    for (const q of ['{ b }', '{ c }', '{ d }']) await cache.set(`apq:${sha256Hex(q)}`, q);
    assert.equal(await cache.get(`apq:${sha256Hex('{ b }')}`), undefined, 'the oldest registration is dropped');
    assert.equal(await cache.get(`apq:${sha256Hex('{ d }')}`), '{ d }');
  });
});
