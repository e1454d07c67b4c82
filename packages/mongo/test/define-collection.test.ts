import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineCollection } from '../src/index';

describe('defineCollection (pure)', () => {
  it('keeps a well-formed definition', () => {
    const def = defineCollection<{ _id: string; at: Date }>({ name: 'sessions', indexes: [{ name: 'at_ttl', key: { at: 1 }, expireAfterSeconds: 60 }], schema: { bsonType: 'object' } });
    assert.equal(def.indexes.length, 1);
    assert.deepEqual(def.schema, { bsonType: 'object' });
  });

  it('refuses bad names, duplicate indexes, keyless indexes and TTL on several fields or fractional seconds', () => {
    assert.throws(() => defineCollection({ name: 'system.users' }), /not allowed/);
    assert.throws(() => defineCollection({ name: 'a b' }), /not allowed/);
    assert.throws(() => defineCollection({ name: 'c', indexes: [{ name: '_id_', key: { a: 1 } }] }), /not allowed/);
    assert.throws(() => defineCollection({ name: 'c', indexes: [{ name: 'i', key: { a: 1 } }, { name: 'i', key: { b: 1 } }] }), /twice/);
    assert.throws(() => defineCollection({ name: 'c', indexes: [{ name: 'i', key: {} }] }), /no key/);
    assert.throws(() => defineCollection({ name: 'c', indexes: [{ name: 'i', key: { a: 1, b: 1 }, expireAfterSeconds: 5 }] }), /one field/);
    assert.throws(() => defineCollection({ name: 'c', indexes: [{ name: 'i', key: { a: 1 }, expireAfterSeconds: 1.5 }] }), /whole seconds/);
  });
});
