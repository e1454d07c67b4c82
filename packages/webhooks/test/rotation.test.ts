import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { activeSecrets, generateSigningSecret, MAX_ROTATION_OVERLAP_MS, rotateSecrets, signWebhook, verifyWebhook, type EndpointSecret } from '../src/index';

const H = 3_600_000;
const t0 = new Date('2026-12-01T00:00:00Z');
const plus = (ms: number) => new Date(t0.getTime() + ms);

test('a rotation with an overlap: both sign until the overlap ends, then only the new one', () => {
  const first = generateSigningSecret();
  const start: EndpointSecret[] = [{ secret: first, createdAt: t0, expiresAt: null }];
  const { secrets, current } = rotateSecrets(start, plus(H), 24 * H);
  assert.notEqual(current, first);
  assert.deepEqual(activeSecrets(secrets, plus(2 * H)), [current, first]);
  assert.deepEqual(activeSecrets(secrets, plus(25 * H - 1)), [current, first]);
  assert.deepEqual(activeSecrets(secrets, plus(25 * H)), [current]);
  // During the overlap a receiver still on the old secret verifies; after it, one on the new.
  const body = '{"type":"webhook.ping"}';
  const during = signWebhook(activeSecrets(secrets, new Date()), { id: 'evt_r', timestamp: new Date(), body });
  assert.equal(during['webhook-signature'].split(' ').length, 1, 'the overlap of this test is long past in real time');
  const inOverlap = signWebhook(activeSecrets(secrets, plus(2 * H)), { id: 'evt_r', timestamp: new Date(), body });
  assert.ok(verifyWebhook([first], body, inOverlap).ok);
  assert.ok(verifyWebhook([current], body, inOverlap).ok);
});

test('overlap 0 retires the old secret at once (a leaked one); a second rotation keeps the earlier expiry', () => {
  const a = generateSigningSecret();
  const r1 = rotateSecrets([{ secret: a, createdAt: t0, expiresAt: null }], plus(H), 0);
  assert.deepEqual(activeSecrets(r1.secrets, plus(H)), [r1.current]);
  assert.equal(r1.secrets.length, 1);

  const r2 = rotateSecrets([{ secret: a, createdAt: t0, expiresAt: null }], plus(H), 10 * H);
  const r3 = rotateSecrets(r2.secrets, plus(2 * H), 48 * H);
  const expiryOfA = r3.secrets.find((s) => s.secret === a)!.expiresAt!;
  assert.equal(expiryOfA.getTime(), plus(11 * H).getTime(), 'the first rotation said 11 h; a later, longer overlap does not extend it');
  assert.deepEqual(activeSecrets(r3.secrets, plus(3 * H)), [r3.current, r2.current, a]);
  assert.throws(() => rotateSecrets(r3.secrets, plus(3 * H), MAX_ROTATION_OVERLAP_MS + 1), RangeError);
  assert.throws(() => rotateSecrets(r3.secrets, plus(3 * H), -1), RangeError);
});

test('property: after any rotations, the newest is first, nothing expired signs, and the current never expires', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ gap: fc.integer({ min: 0, max: 72 * H }), overlap: fc.integer({ min: 0, max: 48 * H }) }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 100 * H }), (steps, probe) => {
      let secrets: EndpointSecret[] = [{ secret: 'whsec_initial', createdAt: t0, expiresAt: null }];
      let now = t0.getTime();
      let current = 'whsec_initial';
      steps.forEach((step, i) => {
        now += step.gap + 1;
        const r = rotateSecrets(secrets, new Date(now), step.overlap, `whsec_${i}`);
        secrets = r.secrets;
        current = r.current;
      });
      const at = new Date(now + probe);
      const active = activeSecrets(secrets, at);
      assert.equal(active[0], current);
      assert.equal(secrets.filter((s) => s.expiresAt === null).length, 1);
      for (const s of secrets) if (s.expiresAt && s.expiresAt.getTime() <= at.getTime()) assert.ok(!active.includes(s.secret));
    }),
    { numRuns: 300 },
  );
});
