import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceparent, childTraceparent, newCorrelationId, sanitizeCorrelationId } from '../src/index';

// Examples and invalid cases from the W3C Trace Context recommendation (section 3.2).
const SPEC_EXAMPLE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const SPEC_EXAMPLE_NOT_SAMPLED = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';

describe('parseTraceparent', () => {
  it('parses the spec examples', () => {
    assert.deepEqual(parseTraceparent(SPEC_EXAMPLE), {
      version: '00',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: 'b7ad6b7169203331',
      flags: '01',
    });
    assert.equal(parseTraceparent(SPEC_EXAMPLE_NOT_SAMPLED)?.flags, '00');
  });

  it('rejects invalid headers', () => {
    const invalid = [
      undefined,
      '',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01', // all-zero trace id
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01', // all-zero parent id
      '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01', // uppercase
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', // forbidden version
      '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', // unknown version
      '00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01', // short trace id
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01', // short parent id
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1', // short flags
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g', // non-hex flags
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra', // version 00 has no extra fields
      '00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01', // wrong separator
    ];
    for (const header of invalid) assert.equal(parseTraceparent(header), undefined, String(header));
  });
});

describe('childTraceparent', () => {
  it('keeps trace id and flags with a new parent id', () => {
    const child = childTraceparent(SPEC_EXAMPLE);
    const parsed = parseTraceparent(child);
    assert.ok(parsed);
    assert.equal(parsed.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(parsed.flags, '01');
    assert.notEqual(parsed.parentId, 'b7ad6b7169203331');
    assert.notEqual(childTraceparent(SPEC_EXAMPLE), child);
  });

  it('starts a new valid trace when the parent is absent or invalid', () => {
    for (const parent of [undefined, 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01']) {
      const parsed = parseTraceparent(childTraceparent(parent));
      assert.ok(parsed);
      assert.notEqual(parsed.traceId, '0'.repeat(32));
    }
    assert.notEqual(parseTraceparent(childTraceparent())?.traceId, parseTraceparent(childTraceparent())?.traceId);
  });

  it('never repeats an id across many refills of its random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const parsed = parseTraceparent(childTraceparent())!;
      ids.add(parsed.traceId).add(parsed.parentId);
    }
    assert.equal(ids.size, 10_000);
  });
});

describe('correlation ids', () => {
  it('mints UUID v4', () => {
    assert.match(newCorrelationId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(newCorrelationId(), newCorrelationId());
  });

  it('accepts only safe ids so log lines cannot be forged', () => {
    for (const ok of ['abc', 'req-1.2:3_x', 'A'.repeat(128), newCorrelationId()]) assert.equal(sanitizeCorrelationId(ok), ok);
    for (const bad of ['', 'A'.repeat(129), 'a\nb', 'a b', '"}{"admin":true', 'ção', 42, null, undefined, ['a']]) {
      assert.equal(sanitizeCorrelationId(bad), undefined, JSON.stringify(bad));
    }
  });
});
