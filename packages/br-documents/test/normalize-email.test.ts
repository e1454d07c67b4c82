import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeEmail } from '../src/index';

describe('normalizeEmail', () => {
  it('trims and lower-cases the domain but keeps the local part as typed', () => {
    assert.equal(normalizeEmail('  Alice.Smith@Example.COM.br '), 'Alice.Smith@example.com.br');
    assert.equal(normalizeEmail('joao+pix@banco.io'), 'joao+pix@banco.io');
    assert.equal(normalizeEmail('JOSÉ@CORREIO.BR'), 'JOSÉ@correio.br');
  });

  it('rejects inner whitespace, missing or extra "@", and domains without a dot or with empty labels', () => {
    for (const bad of ['', '   ', 'a b@x.com', 'a@x .com', 'a\t@x.com', 'abc', '@x.com', 'a@', 'a@b@x.com', 'a@localhost', 'a@x..com', 'a@.com', 'a@x.com.']) {
      assert.equal(normalizeEmail(bad), null, JSON.stringify(bad));
    }
  });

  it('limits the local part to 64 and the address to 254 characters', () => {
    const domain189 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(61)}`;
    assert.equal(normalizeEmail(`${'x'.repeat(64)}@banco.com`), `${'x'.repeat(64)}@banco.com`);
    assert.equal(normalizeEmail(`${'x'.repeat(65)}@banco.com`), null);
    assert.equal(normalizeEmail(`${'x'.repeat(64)}@${domain189}`)?.length, 254);
    assert.equal(normalizeEmail(`${'x'.repeat(64)}@${domain189}c`), null);
    assert.equal(normalizeEmail(`   ${'x'.repeat(64)}@${domain189}   `)?.length, 254, 'limits apply after trimming');
  });

  it('is idempotent', () => {
    const label = fc.array(fc.constantFrom(...'abcXYZ019-'), { minLength: 1, maxLength: 10 }).map((c) => c.join(''));
    const local = fc.array(fc.constantFrom(...'abcXYZ019.+_'), { minLength: 1, maxLength: 20 }).map((c) => c.join(''));
    const address = fc.tuple(local, fc.array(label, { minLength: 2, maxLength: 4 })).map(([l, labels]) => `${l}@${labels.join('.')}`);
    fc.assert(
      fc.property(address, (input) => {
        const once = normalizeEmail(input);
        return once !== null && normalizeEmail(once) === once && once.split('@')[0] === input.split('@')[0];
      }),
    );
  });
});
