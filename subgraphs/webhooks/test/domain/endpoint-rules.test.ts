import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liveSecrets, parseDescription, parseEventTypes, parseOverlap, planRotation, secretContext, secretHint } from '../../src/domain/endpoint-rules';

const at = (s: string) => new Date(`2026-12-05T${s}Z`);

describe('endpoint rules (pure)', () => {
  it('event types: trimmed, deduplicated, refused with the package reasons', () => {
    assert.deepEqual(parseEventTypes([' payments.order.* ', 'payments.order.*', 'webhook.ping']), ['payments.order.*', 'webhook.ping']);
    const reason = (value: unknown) => {
      try {
        parseEventTypes(value);
        return 'accepted';
      } catch (e) {
        return (e as { details: { reason: string } }).details.reason;
      }
    };
    assert.equal(reason(['payments.order.nope']), 'UNKNOWN_EVENT_TYPE');
    assert.equal(reason(['a..b']), 'MALFORMED_EVENT_PATTERN');
    assert.equal(reason([]), 'NO_MATCHING_EVENT_TYPE');
    assert.equal(reason('payments.>'), 'MALFORMED_EVENT_PATTERN');
    assert.equal(reason(Array.from({ length: 51 }, (_, i) => `payments.order.${i}`)), 'TOO_MANY_EVENT_PATTERNS');
  });

  it('descriptions and overlaps', () => {
    assert.equal(parseDescription('  '), null);
    assert.equal(parseDescription(undefined), null);
    assert.throws(() => parseDescription('x'.repeat(201)), { code: 'BAD_USER_INPUT' });
    assert.equal(parseOverlap(undefined), 24 * 3600_000);
    assert.equal(parseOverlap(0), 0);
    assert.equal(parseOverlap(7 * 24 * 3600), 7 * 24 * 3600_000);
    for (const bad of [-1, 1.5, 7 * 24 * 3600 + 1]) assert.throws(() => parseOverlap(bad), { code: 'BAD_USER_INPUT' });
  });

  it('hints show whsec_ and four characters; contexts bind tenant and endpoint', () => {
    assert.equal(secretHint('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), 'whsec_MfKQ…');
    assert.notEqual(secretContext('t1', 'e1'), secretContext('t2', 'e1'));
  });

  it('a rotation keeps active secrets until the overlap ends (an earlier expiry kept) and drops expired ones', () => {
    const stored = [
      { id: 'current', createdAt: at('10:00:00'), expiresAt: null },
      { id: 'older', createdAt: at('09:00:00'), expiresAt: at('12:30:00') },
      { id: 'expired', createdAt: at('08:00:00'), expiresAt: at('11:00:00') },
    ];
    const keep = planRotation(stored, at('12:00:00'), 3600_000);
    assert.deepEqual([...keep.entries()].sort(), [['current', at('13:00:00')], ['older', at('12:30:00')]]);
    assert.deepEqual(planRotation(stored, at('12:00:00'), 0).size, 0);
    assert.deepEqual(liveSecrets(stored, at('12:00:00')).map((s) => s.id), ['current', 'older']);
  });
});

describe('rotation cap', () => {
  it('keeps at most MAX_LIVE_SECRETS signing: the oldest retire at once', () => {
    const stored = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, createdAt: at(`0${i}:00:00`), expiresAt: i === 5 ? null : at('23:00:00') }));
    const keep = planRotation(stored, at('10:00:00'), 3600_000);
    assert.deepEqual([...keep.keys()], ['s5', 's4', 's3', 's2']);
  });
});
