import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { generateSigningSecret, isMessageId, isSigningSecret, signWebhook, signWith, verifyWebhook } from '../src/index';

/*
 * Test vectors: the Standard Webhooks reference libraries' own
 * (github.com/standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts
 * "sign function works" and "multi sig payload is valid"; the same vector is in
 * libraries/python/tests/test_webhooks.py test_sign_function). The spec (spec/standard-webhooks.md)
 * gives the scheme and header format but no secret for its example signature.
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const BOGUS = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';

const at = (seconds: number) => new Date(seconds * 1000);

/** Runs `fn` with Date.now() at `seconds` (the library checks the timestamp against the clock). */
function atClock<T>(seconds: number, fn: () => T): T {
  mock.timers.enable({ apis: ['Date'], now: seconds * 1000 });
  try {
    return fn();
  } finally {
    mock.timers.reset();
  }
}

test('the reference vector: signWith gives the published signature, and the headers carry it', () => {
  assert.equal(signWith(VECTOR.secret, { id: VECTOR.id, timestamp: at(VECTOR.timestamp), body: VECTOR.body }), VECTOR.signature);
  assert.deepEqual(signWebhook([VECTOR.secret], { id: VECTOR.id, timestamp: at(VECTOR.timestamp), body: VECTOR.body }), {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
  });
  // Milliseconds are not signed: the spec's timestamp is whole seconds.
  assert.equal(signWith(VECTOR.secret, { id: VECTOR.id, timestamp: new Date(VECTOR.timestamp * 1000 + 999), body: VECTOR.body }), VECTOR.signature);
});

test('the reference vector verifies at its time, with the bogus signatures of the multi-signature vector around it', () => {
  const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': [BOGUS, BOGUS.replace('v1', 'v2'), VECTOR.signature, BOGUS].join(' ') };
  assert.deepEqual(atClock(VECTOR.timestamp + 10, () => verifyWebhook([VECTOR.secret], VECTOR.body, headers)), { ok: true });
  assert.deepEqual(atClock(VECTOR.timestamp + 10, () => verifyWebhook([VECTOR.secret], VECTOR.body, { ...headers, 'webhook-signature': BOGUS })), { ok: false, reason: 'NO_MATCHING_SIGNATURE' });
  assert.deepEqual(atClock(VECTOR.timestamp + 301, () => verifyWebhook([VECTOR.secret], VECTOR.body, headers)), { ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
  assert.deepEqual(atClock(VECTOR.timestamp - 301, () => verifyWebhook([VECTOR.secret], VECTOR.body, headers)), { ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
});

test('property: the signature is HMAC-SHA256 over id.timestamp.body keyed by the decoded secret (node:crypto as the oracle)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 24, maxLength: 64 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
      fc.integer({ min: 0, max: 4_102_444_800 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      (key, id, seconds, body) => {
        const secret = `whsec_${Buffer.from(key).toString('base64')}`;
        const expected = createHmac('sha256', Buffer.from(key)).update(`${id}.${seconds}.${body}`, 'utf8').digest('base64');
        assert.equal(signWith(secret, { id, timestamp: at(seconds), body }), `v1,${expected}`);
        assert.equal(signWith(secret, { id, timestamp: at(seconds), body: Buffer.from(body, 'utf8') }), `v1,${expected}`);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: what signWebhook signs, the library verifies, and any change of body, id or timestamp fails', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 24, maxLength: 64 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), fc.json(), (key, id, body) => {
      const secret = `whsec_${Buffer.from(key).toString('base64')}`;
      const now = Math.floor(Date.now() / 1000);
      const headers = signWebhook([secret], { id, timestamp: at(now), body });
      new Webhook(secret).verify(body, headers, { jsonParse: false });
      assert.deepEqual(verifyWebhook([secret], body, headers), { ok: true });
      assert.equal(verifyWebhook([secret], `${body} `, headers).ok, false);
      assert.equal(verifyWebhook([secret], body, { ...headers, 'webhook-id': `${id}x` }).ok, false);
      assert.equal(verifyWebhook([secret], body, { ...headers, 'webhook-timestamp': String(now - 1) }).ok, false);
    }),
    { numRuns: 200 },
  );
});

test('rotation: both secrets sign (space-separated), a receiver holding either one verifies, a stranger does not', () => {
  const oldSecret = generateSigningSecret();
  const newSecret = generateSigningSecret();
  const body = JSON.stringify({ type: 'webhook.ping', data: {} });
  const headers = signWebhook([newSecret, oldSecret], { id: 'evt_1', timestamp: new Date(), body });
  const sigs = headers['webhook-signature'].split(' ');
  assert.equal(sigs.length, 2);
  assert.ok(sigs.every((s) => /^v1,[A-Za-z0-9+/]{43}=$/.test(s)));
  assert.deepEqual(verifyWebhook([oldSecret], body, headers), { ok: true });
  assert.deepEqual(verifyWebhook([newSecret], body, headers), { ok: true });
  assert.deepEqual(verifyWebhook([generateSigningSecret(), oldSecret], body, headers), { ok: true });
  assert.deepEqual(verifyWebhook([generateSigningSecret()], body, headers), { ok: false, reason: 'NO_MATCHING_SIGNATURE' });
  // The library alone (what a tenant runs) accepts the multi-signature header with either secret.
  new Webhook(oldSecret).verify(body, headers);
  new Webhook(newSecret).verify(body, headers);
});

test('missing or malformed headers are refused before any HMAC', () => {
  const secret = generateSigningSecret();
  const headers = signWebhook([secret], { id: 'evt_2', timestamp: new Date(), body: '{}' });
  assert.deepEqual(verifyWebhook([secret], '{}', { ...headers, 'webhook-id': undefined }), { ok: false, reason: 'MISSING_HEADERS' });
  assert.deepEqual(verifyWebhook([secret], '{}', { ...headers, 'webhook-timestamp': 'hello' }), { ok: false, reason: 'BAD_TIMESTAMP' });
  assert.deepEqual(verifyWebhook([secret], '{}', { ...headers, 'webhook-signature': 'v1,' }), { ok: false, reason: 'NO_MATCHING_SIGNATURE' });
  // Header names are case-insensitive.
  assert.deepEqual(verifyWebhook([secret], '{}', { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'], 'Webhook-Signature': headers['webhook-signature'] }), { ok: true });
});

test('secrets: whsec_ + base64 of 32 random bytes by default, 24 to 64 allowed, never repeated', () => {
  const secrets = new Set(Array.from({ length: 200 }, () => generateSigningSecret()));
  assert.equal(secrets.size, 200);
  for (const s of secrets) {
    assert.match(s, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(s.slice(6), 'base64').length, 32);
    assert.ok(isSigningSecret(s));
  }
  assert.equal(Buffer.from(generateSigningSecret(24).slice(6), 'base64').length, 24);
  assert.equal(Buffer.from(generateSigningSecret(64).slice(6), 'base64').length, 64);
  assert.throws(() => generateSigningSecret(16), RangeError);
  assert.throws(() => generateSigningSecret(65), RangeError);
  assert.ok(isSigningSecret(VECTOR.secret));
  for (const bad of ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_c2hvcnQ=', 'whsec_not base64!', `whsec_${Buffer.alloc(65).toString('base64')}`]) assert.equal(isSigningSecret(bad), false, bad);
  assert.throws(() => signWith('whsec_c2hvcnQ=', { id: 'a', timestamp: new Date(), body: '' }), TypeError);
  assert.throws(() => signWebhook([], { id: 'a', timestamp: new Date(), body: '' }), TypeError);
});

test('a webhook id is 1..255 of [A-Za-z0-9_-]: the "." that delimits the signed content is refused', () => {
  assert.ok(isMessageId('018f3c2e-5b7a-7c1d-9e2f-0a1b2c3d4e5f'));
  assert.ok(isMessageId('msg_p5jXN8AQM9LWM0D4loKWxJek'));
  for (const bad of ['', 'a.b', 'a b', 'x'.repeat(256), 'é']) assert.equal(isMessageId(bad), false, bad);
  assert.throws(() => signWith(VECTOR.secret, { id: 'settled.E123', timestamp: new Date(), body: '' }), TypeError);
});
