import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPiiVault, generatePiiKey, isPiiError, parsePiiKeys } from '../src/index';

const a = generatePiiKey();
const b = generatePiiKey();

function throwsSpec(spec: string, pattern: RegExp) {
  assert.throws(
    () => parsePiiKeys(spec),
    (error) => isPiiError(error, 'INVALID_KEY_SPEC') && pattern.test(error.message) && !error.message.includes(a),
    spec,
  );
}

describe('generatePiiKey', () => {
  it('returns base64 of 32 random bytes', () => {
    assert.equal(Buffer.from(a, 'base64').length, 32);
    assert.match(a, /^[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(a, b);
  });
});

describe('parsePiiKeys', () => {
  it('parses "id:base64" entries, tolerating whitespace', () => {
    assert.deepEqual(parsePiiKeys(`k1:${a},k2:${b}`), { k1: a, k2: b });
    assert.deepEqual(parsePiiKeys(` k1 : ${a} ,\n k2:${b} `), { k1: a, k2: b });
    assert.deepEqual(parsePiiKeys(`2024-01_a:${a}`), { '2024-01_a': a });
  });

  it('gives clear errors that never include key material', () => {
    throwsSpec('', /empty/);
    throwsSpec('   ', /empty/);
    throwsSpec(a, /entry #1 has no ":"/);
    throwsSpec(`k1:${a},`, /entry #2 has no ":"/);
    throwsSpec(`k1:${a},k1:${b}`, /"k1" appears more than once/);
    throwsSpec(`:${a}`, /entry #1: PII key id must be/);
    throwsSpec(`k.1:${a}`, /entry #1: PII key id must be/);
    throwsSpec(`${'k'.repeat(33)}:${a}`, /PII key id must be/);
    throwsSpec(`k1:${a.slice(0, -2)}AAA=`, /entry #1: PII key "k1" is not valid base64/);
    throwsSpec(`k1:${a.replace(/.$/, '!')}`, /not valid base64/);
    throwsSpec(`k1:${Buffer.alloc(16).toString('base64')}`, /must be 32 bytes, got 16/);
    throwsSpec(`k1:${a}${a}`, /not valid base64|must be 32 bytes/);
  });

  it('feeds createPiiVault directly', () => {
    const vault = createPiiVault({ keys: parsePiiKeys(`k1:${a}`), activeKeyId: 'k1', blindIndexKey: b });
    assert.equal(vault.decrypt(vault.encrypt('ok', 'c'), 'c'), 'ok');
  });
});

describe('createPiiVault validation', () => {
  it('refuses an active key id that is not configured', () => {
    assert.throws(
      () => createPiiVault({ keys: { k1: a }, activeKeyId: 'k2', blindIndexKey: b }),
      (error) => isPiiError(error, 'UNKNOWN_KEY_ID'),
    );
  });

  it('refuses short keys, bad ids and a blind index key reused for encryption', () => {
    const short = Buffer.alloc(31).toString('base64');
    assert.throws(() => createPiiVault({ keys: { k1: short }, activeKeyId: 'k1', blindIndexKey: b }), (e) => isPiiError(e, 'INVALID_KEY'));
    assert.throws(() => createPiiVault({ keys: { k1: a }, activeKeyId: 'k1', blindIndexKey: short }), (e) => isPiiError(e, 'INVALID_KEY'));
    assert.throws(() => createPiiVault({ keys: { 'k.1': a }, activeKeyId: 'k.1', blindIndexKey: b }), (e) => isPiiError(e, 'INVALID_KEY_ID'));
    assert.throws(
      () => createPiiVault({ keys: { k1: a, k2: b }, activeKeyId: 'k1', blindIndexKey: b }),
      (e) => isPiiError(e, 'INVALID_KEY') && /must differ/.test(e.message),
    );
  });
});
