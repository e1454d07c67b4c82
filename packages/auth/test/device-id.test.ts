import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sanitizeDeviceId } from '../src/index';

describe('sanitizeDeviceId', () => {
  it('keeps 8-128 URL-safe characters and drops anything else', () => {
    assert.equal(sanitizeDeviceId('ios-7f3a9c2e-1b4d'), 'ios-7f3a9c2e-1b4d');
    assert.equal(sanitizeDeviceId(['android:abcdef12', 'second']), 'android:abcdef12');
    for (const bad of [undefined, null, '', 'short', 'x'.repeat(129), 'has space 12345', '<script>alert(1)</script>', 'line\nbreak12345', 'ünïcode-12345']) {
      assert.equal(sanitizeDeviceId(bad), null, String(bad));
    }
  });

  it('returns either null or exactly its input (never a transformed value)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 140 }), (value) => {
      const out = sanitizeDeviceId(value);
      assert.ok(out === null || out === value);
      if (out !== null) assert.match(out, /^[A-Za-z0-9._:=+/-]{8,128}$/);
    }));
  });
});
