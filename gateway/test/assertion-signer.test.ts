import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signIdentityAssertion, verifyIdentityAssertion, type Identity } from '@baas/auth';
import { createAssertionSigner } from '../src/assertion-signer';

const secret = 'a-test-internal-secret-of-32-characters-at-least';
const alice: Identity = { subject: 'alice', kind: 'customer', tenantId: 't1', scopes: ['accounts:read'] };
const bob: Identity = { subject: 'bob', kind: 'customer', tenantId: 't1', scopes: [] };

describe('the gateway signs identity assertions once per identity per second', () => {
  it('answers within one second exactly what signing afresh would, and signs again in the next second', async () => {
    let clock = 1_700_000_000_000; // ms; the real clock decides what signIdentityAssertion writes
    const sign = createAssertionSigner(secret, () => clock);
    const first = await sign(alice);
    assert.equal(await sign(alice), first, 'the same second: the remembered assertion');
    assert.deepEqual(await verifyIdentityAssertion(first, secret), await verifyIdentityAssertion(await signIdentityAssertion(alice, secret), secret));
    clock += 1_000;
    const later = sign(alice);
    assert.notEqual(later, sign(bob));
    assert.equal(sign(alice), later, 'remembered again for the new second');
  });

  it('never answers one identity with another identity\'s assertion', async () => {
    const sign = createAssertionSigner(secret, () => 0);
    const a = await verifyIdentityAssertion(await sign(alice), secret);
    const b = await verifyIdentityAssertion(await sign(bob), secret);
    assert.equal(a?.subject, 'alice');
    assert.equal(b?.subject, 'bob');
    // A different object with other claims is its own entry even in the same second.
    const aliceAdmin: Identity = { ...alice, scopes: ['accounts:read', 'accounts:write'] };
    assert.deepEqual((await verifyIdentityAssertion(await sign(aliceAdmin), secret))?.scopes, ['accounts:read', 'accounts:write']);
  });
});
