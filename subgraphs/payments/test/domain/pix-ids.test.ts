import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import {
  END_TO_END_ID_LENGTH, isValidEndToEndId, isValidTxid, newEndToEndId, newReturnId, newTxid, parseEndToEndId, parseTxid, randomAlphanumeric,
} from '../../src/domain/pix-ids';

const refused = (reason: string) => (error: unknown) => isDomainError(error) && error.code === 'BAD_USER_INPUT' && error.details?.reason === reason;
const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
const ispbArb = fc.integer({ min: 0, max: 99_999_999 }).map((n) => String(n).padStart(8, '0'));
const minuteArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2199, 11, 31, 23, 59) }).map((ms) => new Date(ms - (ms % 60_000)));
const suffixArb = fc.array(alnum, { minLength: 11, maxLength: 11 }).map((c) => c.join(''));

describe('EndToEndId', () => {
  it('known vector: the official shape, time in UTC', () => {
    const at = new Date('2025-12-05T21:07:45.123-03:00'); // 00:07 UTC on the 6th
    const id = newEndToEndId('00360305', at, 'aB3dE5gH7jK');
    assert.equal(id, 'E00360305202512060007aB3dE5gH7jK');
    assert.equal(id.length, END_TO_END_ID_LENGTH);
    assert.deepEqual(parseEndToEndId(id), { kind: 'E', ispb: '00360305', at: new Date('2025-12-06T00:07:00Z'), suffix: 'aB3dE5gH7jK' });
    assert.equal(newReturnId('00360305', at, 'aB3dE5gH7jK'), 'D00360305202512060007aB3dE5gH7jK');
    assert.equal(isValidEndToEndId(id), true);
    assert.equal(isValidEndToEndId('D00360305202512060007aB3dE5gH7jK'), false);
  });

  it('refuses malformed ids and impossible dates', () => {
    for (const bad of [
      '', 'E0036030520251206000aB3dE5gH7jK', 'X00360305202512060007aB3dE5gH7jK', 'E00360305202513060007aB3dE5gH7jK',
      'E00360305202502300007aB3dE5gH7jK', 'E00360305202512062407aB3dE5gH7jK', 'E00360305202512060060aB3dE5gH7jK', 'E00360305202512060007aB3dE5gH7j-',
    ]) assert.throws(() => parseEndToEndId(bad), refused('INVALID_END_TO_END_ID'), bad);
    assert.throws(() => newEndToEndId('1234567', new Date()), refused('INVALID_ISPB'));
    assert.throws(() => newEndToEndId('12345678', new Date(), 'short'), refused('INVALID_END_TO_END_ID'));
    assert.throws(() => newEndToEndId('12345678', new Date('x')), refused('INVALID_DATE'));
  });

  it('property: parse(new(ispb, at, suffix)) gives the parts back', () => {
    fc.assert(fc.property(ispbArb, minuteArb, suffixArb, fc.integer({ min: 0, max: 59_999 }), (ispb, at, suffix, extraMs) => {
      const id = newEndToEndId(ispb, new Date(at.getTime() + extraMs), suffix);
      assert.equal(id.length, 32);
      assert.deepEqual(parseEndToEndId(id), { kind: 'E', ispb, at, suffix });
    }));
  });

  it('property: random suffixes are alphanumeric and ids differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = newEndToEndId('00000000', new Date('2026-01-01T00:00:00Z'));
      assert.ok(isValidEndToEndId(id));
      seen.add(id);
    }
    assert.equal(seen.size, 1000);
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), (n) => assert.match(randomAlphanumeric(n), new RegExp(`^[a-zA-Z0-9]{${n}}$`))));
  });
});

describe('txid', () => {
  it('cob/cobv: 26 to 35 alphanumerics', () => {
    assert.equal(isValidTxid('a'.repeat(25)), false);
    assert.equal(isValidTxid('a'.repeat(26)), true);
    assert.equal(isValidTxid('A1'.repeat(17) + 'z', 'COBV'), true);
    assert.equal(isValidTxid('a'.repeat(36)), false);
    assert.equal(isValidTxid('a'.repeat(30) + '-'), false);
    assert.equal(isValidTxid('***'), false);
    assert.throws(() => parseTxid('short'), refused('INVALID_TXID'));
  });

  it("static: 1 to 25 alphanumerics or '***'", () => {
    assert.equal(isValidTxid('***', 'STATIC'), true);
    assert.equal(isValidTxid('PEDIDO123', 'STATIC'), true);
    assert.equal(isValidTxid('a'.repeat(25), 'STATIC'), true);
    assert.equal(isValidTxid('a'.repeat(26), 'STATIC'), false);
    assert.equal(isValidTxid('', 'STATIC'), false);
    assert.equal(isValidTxid('**', 'STATIC'), false);
    assert.equal(parseTxid('***', 'STATIC'), '***');
  });

  it('property: validity is exactly length and alphabet', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      const alnumOnly = /^[a-zA-Z0-9]*$/.test(s);
      assert.equal(isValidTxid(s, 'COB'), alnumOnly && s.length >= 26 && s.length <= 35);
      assert.equal(isValidTxid(s, 'STATIC'), s === '***' || (alnumOnly && s.length >= 1 && s.length <= 25));
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.integer({ min: 26, max: 35 }), (n) => assert.ok(isValidTxid(newTxid(n)))));
    assert.throws(() => newTxid(25), refused('INVALID_TXID'));
  });
});
