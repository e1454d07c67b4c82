import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { createPiiVault, generatePiiKey, isPiiError } from '../src/index';
import { INDEX_KEY, K1, vaultWith } from './helpers';

describe('blindIndex', () => {
  const vault = vaultWith({ activeKeyId: 'k1' });

  it('is HMAC-SHA256(blindIndexKey, context + NUL + value) in hex', () => {
    const expected = createHmac('sha256', Buffer.from(INDEX_KEY, 'base64'))
      .update('customer.email:tenant-a\0maria@example.com')
      .digest('hex');
    assert.equal(vault.blindIndex('maria@example.com', 'customer.email:tenant-a'), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
  });

  it('is deterministic per context, across vault instances and key rotation', () => {
    const rotated = createPiiVault({ keys: { k1: K1, k2: generatePiiKey() }, activeKeyId: 'k2', blindIndexKey: INDEX_KEY });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const a = vault.blindIndex(value, 'customer.email:tenant-a');
        assert.equal(vault.blindIndex(value, 'customer.email:tenant-a'), a);
        assert.equal(rotated.blindIndex(value, 'customer.email:tenant-a'), a);
      }),
    );
  });

  it('differs across contexts (fields, tenants) and across values', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (value, a, b) => {
        fc.pre(a !== b && !a.includes('\0') && !b.includes('\0'));
        assert.notEqual(vault.blindIndex(value, a), vault.blindIndex(value, b));
      }),
    );
    assert.notEqual(vault.blindIndex('a', 'c'), vault.blindIndex('b', 'c'));
  });

  it('depends on the blind index key', () => {
    const other = createPiiVault({ keys: { k1: K1 }, activeKeyId: 'k1', blindIndexKey: generatePiiKey() });
    assert.notEqual(other.blindIndex('x', 'c'), vault.blindIndex('x', 'c'));
  });

  it('refuses a context containing NUL, which would make the input ambiguous', () => {
    assert.throws(() => vault.blindIndex('b', 'a\0'), (error) => isPiiError(error, 'INVALID_CONTEXT'));
  });
});
