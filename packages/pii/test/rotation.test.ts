import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPiiError } from '../src/index';
import { vaultWith } from './helpers';

describe('key rotation', () => {
  const before = vaultWith({ activeKeyId: 'k1', withK2: false });
  const after = vaultWith({ activeKeyId: 'k2' });
  const ctx = 'customer.cpf:tenant-a';

  it('keeps decrypting k1 values after k2 becomes active, and seals new ones with k2', () => {
    const old = before.encrypt('12345678909', ctx);
    assert.ok(old.startsWith('v1.k1.'));
    assert.equal(after.decrypt(old, ctx), '12345678909');
    const fresh = after.encrypt('12345678909', ctx);
    assert.ok(fresh.startsWith('v1.k2.'));
    assert.equal(after.activeKeyId, 'k2');
  });

  it('needsReencryption is true only for values under a non-active key', () => {
    const old = before.encrypt('a', ctx);
    assert.equal(before.needsReencryption(old), false);
    assert.equal(after.needsReencryption(old), true);
    assert.equal(after.needsReencryption(after.encrypt('a', ctx)), false);
    assert.throws(() => after.needsReencryption('garbage'), (error) => isPiiError(error, 'MALFORMED_SEALED'));
  });

  it('rotate re-seals old values under the active key and leaves current ones as they are', () => {
    const old = before.encrypt('maria@example.com', ctx);
    const rotated = after.rotate(old, ctx);
    assert.ok(rotated.startsWith('v1.k2.'));
    assert.equal(after.decrypt(rotated, ctx), 'maria@example.com');
    assert.equal(after.rotate(rotated, ctx), rotated);
    assert.throws(() => after.rotate(old, 'customer.cpf:tenant-b'), (error) => isPiiError(error, 'DECRYPTION_FAILED'));
  });

  it('a vault without the key a value names reports UNKNOWN_KEY_ID', () => {
    assert.throws(() => before.decrypt(after.encrypt('x', ctx), ctx), (error) => isPiiError(error, 'UNKNOWN_KEY_ID'));
  });
});
