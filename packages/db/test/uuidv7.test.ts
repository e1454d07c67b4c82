import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../src/uuidv7';

describe('uuidv7', () => {
  it('has version 7, the RFC variant, the time in front, and sorts by time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(a.replace(/-/g, '').slice(0, 12), 16), 1_700_000_000_000);
    assert.ok(a < b);
    assert.equal(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size, 10_000);
  });
});
