import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSeqCursor, encodeSeqCursor, parseInstant, parseStatementWindow } from '../src/index';

/** The error code a call throws, or null when it does not throw. */
const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'NONE';
  }
};

describe('parseInstant', () => {
  it('takes an ISO 8601 instant, null when absent, and refuses dates without a time and garbage', () => {
    assert.equal(parseInstant('2026-11-29T10:00:00Z', 'from')?.toISOString(), '2026-11-29T10:00:00.000Z');
    assert.equal(parseInstant('2026-11-29T10:00:00-03:00', 'from')?.toISOString(), '2026-11-29T13:00:00.000Z');
    assert.equal(parseInstant(null, 'from'), null);
    assert.equal(parseInstant(undefined, 'from'), null);
    for (const bad of ['2026-11-29', 'yesterday', '2026-13-45T99:00:00Z', '']) assert.equal(codeOf(() => parseInstant(bad, 'to')), 'BAD_USER_INPUT', bad);
  });
});

describe('parseStatementWindow', () => {
  it('defaults first to 100 and passes a valid window through', () => {
    assert.deepEqual(parseStatementWindow({}, 500), { first: 100, from: null, to: null, after: null });
    const w = parseStatementWindow({ first: 500, from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', after: '42' }, 500);
    assert.equal(w.first, 500);
    assert.equal(w.after, '42');
    assert.equal(w.from?.toISOString(), '2026-11-01T00:00:00.000Z');
  });

  it('refuses each bad argument with BAD_USER_INPUT', () => {
    for (const args of [{ first: 0 }, { first: 501 }, { first: 1.5 }, { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }, { after: '-1' }, { after: '1'.repeat(20) }, { after: 'abc' }]) {
      assert.equal(codeOf(() => parseStatementWindow(args, 500)), 'BAD_USER_INPUT', JSON.stringify(args));
    }
  });
});

describe('seq cursors', () => {
  it('round-trip a journal sequence and are opaque (base64url of seq:<n>)', () => {
    for (const seq of [0n, 1n, 42n, 2n ** 63n - 1n]) assert.equal(decodeSeqCursor(encodeSeqCursor(seq)), seq);
    assert.equal(encodeSeqCursor(42n), Buffer.from('seq:42').toString('base64url'));
  });

  it('refuse anything else with BAD_USER_INPUT naming the field', () => {
    for (const bad of ['', 'abc', Buffer.from('seq:').toString('base64url'), Buffer.from('seq:-1').toString('base64url'), Buffer.from('id:4').toString('base64url'), Buffer.from(`seq:${'9'.repeat(20)}`).toString('base64url')]) {
      assert.equal(codeOf(() => decodeSeqCursor(bad)), 'BAD_USER_INPUT', bad);
    }
    try {
      decodeSeqCursor('abc', 'before');
      assert.fail('expected a throw');
    } catch (error) {
      assert.equal((error as Error).message, 'before is not a valid cursor.');
    }
  });
});
