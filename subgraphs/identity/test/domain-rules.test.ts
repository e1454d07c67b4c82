import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Identity } from '@baas/auth';
import { signClientAddress, verifyClientAddress } from '@baas/auth';
import { assertStepUpOrDefault } from '@baas/authz';
import { clientGrantRefusal } from '../src/permissions';
import { enrolmentRoute, type EnrolmentFacts } from '../src/domain/passkey-enrolment';
import { API_CLIENT_SCOPES } from '../src/domain/scopes';

const tenant = '0190b6a0-0000-7000-8000-000000000001';
const other = '0190b6a0-0000-7000-8000-000000000002';
const client = (scopes: string[], tenantId = tenant): Identity => ({ subject: 'c', kind: 'api_client', tenantId, scopes });

describe('clientGrantRefusal: clients:write reaches no further than the caller (issue 10 item 7)', () => {
  it('a client grants, rotates or revokes exactly the scope sets it holds itself (property)', () => {
    const scope = fc.constantFrom(...API_CLIENT_SCOPES);
    fc.assert(
      fc.property(fc.uniqueArray(scope), fc.uniqueArray(scope), (held, asked) => {
        const refusal = clientGrantRefusal(client(['clients:write', ...held]), { tenantId: tenant, scopes: asked });
        const missing = asked.filter((s) => s !== 'clients:write' && !held.includes(s)).sort();
        if (missing.length === 0) assert.equal(refusal, null);
        else assert.deepEqual(refusal, { missingScopes: missing });
      }),
    );
  });

  it('the attack: a clients:write-only client can neither mint an all-scopes client nor touch a sibling with more scopes', () => {
    const attacker = client(['clients:write']);
    assert.deepEqual(clientGrantRefusal(attacker, { tenantId: tenant, scopes: [...API_CLIENT_SCOPES] })?.missingScopes, [...API_CLIENT_SCOPES].filter((s) => s !== 'clients:write').sort());
    assert.ok(clientGrantRefusal(attacker, { tenantId: tenant, scopes: ['clients:write', 'sandbox:fund'] }));
    assert.equal(clientGrantRefusal(attacker, { tenantId: tenant, scopes: ['clients:write'] }), null);
  });

  it('never another tenant, never without clients:write, never customers or services; operators always', () => {
    assert.deepEqual(clientGrantRefusal(client(['clients:write', 'audit:read'], other), { tenantId: tenant, scopes: [] }), { missingScopes: [] });
    assert.deepEqual(clientGrantRefusal(client(['audit:read']), { tenantId: tenant, scopes: ['audit:read'] }), { missingScopes: [] });
    for (const kind of ['customer', 'service'] as const) {
      assert.deepEqual(clientGrantRefusal({ subject: 's', kind, tenantId: tenant, scopes: ['clients:write'] }, { tenantId: tenant, scopes: [] }), { missingScopes: [] });
    }
    assert.equal(clientGrantRefusal({ subject: 'ops', kind: 'operator', tenantId: null, scopes: [] }, { tenantId: tenant, scopes: [...API_CLIENT_SCOPES] }), null);
  });
});

describe('enrolmentRoute: a one-time code never becomes a passkey (issue 10 item 6)', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const base: EnrolmentFacts = { activePasskeys: 0, everHadPasskey: false, customerCreatedAt: new Date(now.getTime() - 60_000), effectiveRecoveryId: null, stepUpFresh: false, now, firstPasskeyWindowSeconds: 3600 };
  it('the attack: a customer whose passkeys were all removed cannot register one with a code session', () => {
    assert.deepEqual(enrolmentRoute({ ...base, everHadPasskey: true }), { refused: 'PASSKEY_RECOVERY_REQUIRED' });
  });
  it('a second passkey needs a fresh step-up with an existing one', () => {
    assert.deepEqual(enrolmentRoute({ ...base, activePasskeys: 1, everHadPasskey: true }), { refused: 'STEP_UP_REQUIRED' });
    assert.deepEqual(enrolmentRoute({ ...base, activePasskeys: 1, everHadPasskey: true, stepUpFresh: true }), { kind: 'STEP_UP' });
  });
  it('the first passkey only soon after sign-up; afterwards, through an effective recovery', () => {
    assert.deepEqual(enrolmentRoute(base), { kind: 'FIRST_PASSKEY' });
    const old = { ...base, customerCreatedAt: new Date(now.getTime() - 3601_000) };
    assert.deepEqual(enrolmentRoute(old), { refused: 'PASSKEY_RECOVERY_REQUIRED' });
    assert.deepEqual(enrolmentRoute({ ...old, effectiveRecoveryId: 'r1' }), { kind: 'RECOVERY', recoveryId: 'r1' });
    assert.deepEqual(enrolmentRoute({ ...old, activePasskeys: 2, everHadPasskey: true, effectiveRecoveryId: 'r1' }), { kind: 'RECOVERY', recoveryId: 'r1' }, 'lost devices still registered');
  });
});

describe('assertStepUpOrDefault: passkey changes always need a confirmation', () => {
  const customer = (extra: Partial<Identity> = {}): Identity => ({ subject: 'u', kind: 'customer', tenantId: tenant, scopes: [], ...extra });
  it('with no tenant rule the default applies; a tenant rule sets how recent; no step-up is never enough', () => {
    const now = 1_000_000;
    assert.throws(() => assertStepUpOrDefault(customer(), 'REMOVE_PASSKEY', { maxAgeSeconds: 300 }, now), (e: { code?: string }) => e.code === 'STEP_UP_REQUIRED');
    assert.ok(assertStepUpOrDefault(customer({ stepUpAt: now - 100 }), 'REMOVE_PASSKEY', { maxAgeSeconds: 300 }, now));
    assert.throws(() => assertStepUpOrDefault(customer({ stepUpAt: now - 400 }), 'REMOVE_PASSKEY', { maxAgeSeconds: 300 }, now));
    const policy = { REMOVE_PASSKEY: { maxAgeSeconds: 60 } };
    assert.throws(() => assertStepUpOrDefault(customer({ stepUpAt: now - 100, stepUpPolicy: policy }), 'REMOVE_PASSKEY', { maxAgeSeconds: 300 }, now));
    assert.throws(() => assertStepUpOrDefault(null, 'REMOVE_PASSKEY', { maxAgeSeconds: 300 }, now), (e: { code?: string }) => e.code === 'UNAUTHENTICATED');
  });
});

describe('client address: the gateway vouches for it, nobody else', () => {
  const secret = 'x'.repeat(40);
  it('round-trips; a forged, re-signed, expired or odd value is null', () => {
    const now = 2_000_000;
    const signed = signClientAddress('203.0.113.9', secret, now);
    assert.equal(verifyClientAddress(signed, secret, now), '203.0.113.9');
    assert.equal(verifyClientAddress(signClientAddress('::ffff:10.0.0.1', secret, now), secret, now), '::ffff:10.0.0.1');
    assert.equal(verifyClientAddress(signed, 'y'.repeat(40), now), null);
    assert.equal(verifyClientAddress(signed, secret, now + 120), null);
    assert.equal(verifyClientAddress(`${Buffer.from('1.2.3.4').toString('base64url')}.${now + 60}.${signed.split('.')[2]}`, secret, now), null);
    assert.equal(verifyClientAddress('1.2.3.4', secret, now), null);
    assert.equal(verifyClientAddress(undefined, secret, now), null);
    assert.equal(verifyClientAddress(signClientAddress('evil\nheader', secret, now), secret, now), 'unknown');
  });
});
