import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPiiError } from '../src/index';
import { flipBit, vaultWith } from './helpers';

const vault = vaultWith({ activeKeyId: 'k1' });
const context = fc.string({ unit: 'binary', minLength: 1 }).filter((c) => !c.includes('\0'));
const SEALED = /^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/;

describe('encrypt/decrypt', () => {
  it('round-trips any well-formed string, unicode included, under any context', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), context, (plaintext, ctx) => {
        const sealed = vault.encrypt(plaintext, ctx);
        assert.match(sealed, SEALED);
        assert.equal(vault.decrypt(sealed, ctx), plaintext);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips known values: empty, accents, emoji, a CPF', () => {
    for (const plaintext of ['', 'José da Silva', '👩🏽‍💻 ação', '12345678909', 'x'.repeat(10_000)]) {
      const sealed = vault.encrypt(plaintext, 'customer.name:tenant-a');
      assert.equal(vault.decrypt(sealed, 'customer.name:tenant-a'), plaintext);
    }
  });

  it('fails on a flipped bit in any character of the sealed string', () => {
    const sealed = vault.encrypt('maria.silva@example.com', 'customer.email:tenant-a');
    for (let index = 0; index < sealed.length; index += 1) {
      for (let bit = 0; bit < 16; bit += 1) {
        const tampered = flipBit(sealed, index, bit);
        assert.throws(
          () => vault.decrypt(tampered, 'customer.email:tenant-a'),
          (error) => isPiiError(error),
          `bit ${bit} of char ${index}`,
        );
      }
    }
  });

  it('fails on a flipped bit for random plaintexts (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), fc.integer({ min: 0, max: 15 }), (plaintext, at, bit) => {
        const sealed = vault.encrypt(plaintext, 'customer.phone:tenant-a');
        const tampered = flipBit(sealed, at % sealed.length, bit);
        assert.throws(() => vault.decrypt(tampered, 'customer.phone:tenant-a'), (error) => isPiiError(error));
      }),
      { numRuns: 500 },
    );
  });

  it('fails with DECRYPTION_FAILED under another field or tenant, without echoing the plaintext', () => {
    const sealed = vault.encrypt('maria.silva@example.com', 'customer.email:tenant-a');
    for (const other of ['customer.email:tenant-b', 'customer.phone:tenant-a', 'customer.email:tenant-a ']) {
      assert.throws(
        () => vault.decrypt(sealed, other),
        (error) => isPiiError(error, 'DECRYPTION_FAILED') && !error.message.includes('maria'),
      );
    }
  });

  it('fails with DECRYPTION_FAILED for any different context (property)', () => {
    fc.assert(
      fc.property(fc.string(), context, context, (plaintext, a, b) => {
        fc.pre(a !== b);
        const sealed = vault.encrypt(plaintext, a);
        assert.throws(() => vault.decrypt(sealed, b), (error) => isPiiError(error, 'DECRYPTION_FAILED'));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects malformed, non-canonical, unknown-key and other-version values with a code', () => {
    const sealed = vault.encrypt('x', 'c');
    const [, , iv, payload] = sealed.split('.') as [string, string, string, string];
    const cases: Array<[string, string]> = [
      ['', 'MALFORMED_SEALED'],
      ['v1.k1.abc', 'MALFORMED_SEALED'],
      [`${sealed}.extra`, 'MALFORMED_SEALED'],
      [`v2.k1.${iv}.${payload}`, 'UNSUPPORTED_VERSION'],
      [`v1.k9.${iv}.${payload}`, 'UNKNOWN_KEY_ID'],
      [`v1.k1.${iv}A.${payload}`, 'MALFORMED_SEALED'],
      [`v1.k1.${iv}.${payload}=`, 'MALFORMED_SEALED'],
      [`v1.k1.${iv}.AAAA`, 'MALFORMED_SEALED'],
      [`v1.k2.${iv}.${payload}`, 'DECRYPTION_FAILED'],
    ];
    for (const [input, code] of cases) {
      assert.throws(() => vault.decrypt(input, 'c'), (error) => isPiiError(error, code as never), input);
    }
  });

  it('refuses empty or NUL contexts and lone surrogates', () => {
    assert.throws(() => vault.encrypt('x', ''), (error) => isPiiError(error, 'INVALID_CONTEXT'));
    assert.throws(() => vault.encrypt('x', 'a\0b'), (error) => isPiiError(error, 'INVALID_CONTEXT'));
    assert.throws(() => vault.encrypt('\ud800', 'c'), (error) => isPiiError(error, 'INVALID_INPUT'));
    assert.throws(() => vault.decrypt(vault.encrypt('x', 'c'), ''), (error) => isPiiError(error, 'INVALID_CONTEXT'));
  });

  it('never repeats an IV over many encryptions of the same value', () => {
    const ivs = new Set<string>();
    const count = 20_000;
    for (let i = 0; i < count; i += 1) ivs.add(vault.encrypt('same', 'c').split('.')[2]!);
    assert.equal(ivs.size, count);
  });
});
