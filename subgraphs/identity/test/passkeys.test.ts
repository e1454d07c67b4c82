import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createErrorFormatter } from '@baas/errors';
import { cose, decodeCredentialPublicKey, isoBase64URL } from '@simplewebauthn/server/helpers';
import {
  finishPasskeyAuthentication,
  finishPasskeyRegistration,
  PASSKEY_CHALLENGE_TTL_SECONDS,
  PasskeyError,
  startPasskeyAuthentication,
  startPasskeyRegistration,
  userIdFromUserHandle,
  type AuthenticationResponseJSON,
  type PasskeyErrorCode,
  type StoredPasskey,
} from '../src/domain/webauthn/index';
import { SoftwareAuthenticator, type SoftwareAuthenticatorOptions } from '@baas/testing';

const rpId = 'bank.example';
const rpName = 'Example Bank';
const origin = 'https://bank.example';
const user = { id: 'cus_01J9ZQ3V6R8W', name: 'ana@bank.example', displayName: 'Ana Souza' };

async function rejectsWith(promise: Promise<unknown>, code: PasskeyErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof PasskeyError, `expected a PasskeyError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** Registers a passkey on a fresh software authenticator and returns both. */
async function register(opts: { authenticator?: SoftwareAuthenticatorOptions; existing?: StoredPasskey[] } = {}) {
  const authenticator = new SoftwareAuthenticator(opts.authenticator);
  const { options, challenge } = await startPasskeyRegistration({ rpId, rpName, user, existing: opts.existing ?? [] });
  const response = authenticator.createCredential({ options, origin });
  const passkey = await finishPasskeyRegistration({ response, expectedChallenge: challenge, rpId, origin });
  return { authenticator, passkey };
}

/** Runs one login ceremony with the given assertion knobs. */
async function login(opts: {
  authenticator: SoftwareAuthenticator;
  passkey: StoredPasskey;
  assertion?: Omit<Parameters<SoftwareAuthenticator['getAssertion']>[0], 'options' | 'origin'> & { origin?: string };
  expectedChallenge?: string;
  rpId?: string;
}) {
  const { options, challenge } = await startPasskeyAuthentication({ rpId, allow: [opts.passkey] });
  const response = opts.authenticator.getAssertion({ options, origin, ...opts.assertion });
  return finishPasskeyAuthentication({
    response,
    expectedChallenge: opts.expectedChallenge ?? challenge,
    rpId: opts.rpId ?? rpId,
    origin,
    passkey: opts.passkey,
  });
}

describe('passkey registration', () => {
  it('asks for user verification, a discoverable credential and no attestation, with a fresh 32-byte challenge', async () => {
    const a = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
    const b = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
    assert.equal(a.options.challenge, a.challenge);
    assert.equal(Buffer.from(a.challenge, 'base64url').length, 32);
    assert.notEqual(a.challenge, b.challenge);
    assert.deepEqual(a.options.rp, { name: rpName, id: rpId });
    assert.equal(a.options.user.name, user.name);
    assert.equal(a.options.user.displayName, user.displayName);
    assert.equal(userIdFromUserHandle({ userHandle: a.options.user.id }), user.id);
    assert.equal(a.options.authenticatorSelection?.userVerification, 'required');
    assert.equal(a.options.authenticatorSelection?.residentKey, 'preferred');
    assert.equal(a.options.attestation, 'none');
    assert.ok(a.options.pubKeyCredParams.some((p) => p.alg === -7));
    assert.equal(a.options.timeout, PASSKEY_CHALLENGE_TTL_SECONDS * 1000);
    assert.equal(PASSKEY_CHALLENGE_TTL_SECONDS, 300);
    assert.ok(Date.parse(a.expiresAt) > Date.now());
  });

  it('verifies a real none attestation and returns a storable passkey', async () => {
    const { authenticator, passkey } = await register();
    assert.deepEqual(authenticator.credentialIds, [passkey.credentialId]);
    assert.equal(passkey.counter, 0);
    assert.equal(passkey.deviceType, 'singleDevice');
    assert.equal(passkey.backedUp, false);
    assert.deepEqual(passkey.transports, ['internal', 'hybrid']);
    assert.ok(!Number.isNaN(Date.parse(passkey.createdAt)));
    const key = decodeCredentialPublicKey(isoBase64URL.toBuffer(passkey.publicKey));
    assert.equal(key.get(cose.COSEKEYS.alg), -7);
    assert.deepEqual(JSON.parse(JSON.stringify(passkey)), passkey, 'a passkey is plain JSON');
  });

  it('records a synced passkey as multi-device and backed up', async () => {
    const { passkey } = await register({ authenticator: { backupEligible: true, backedUp: true, counter: 'zero' } });
    assert.equal(passkey.deviceType, 'multiDevice');
    assert.equal(passkey.backedUp, true);
  });

  it('lists existing passkeys as excluded credentials, so the same authenticator cannot register twice', async () => {
    const { authenticator, passkey } = await register();
    const other = await register();
    const { options, challenge } = await startPasskeyRegistration({ rpId, rpName, user, existing: [passkey, other.passkey] });
    assert.deepEqual(
      options.excludeCredentials?.map((c) => ({ id: c.id, type: c.type, transports: c.transports })),
      [passkey, other.passkey].map((p) => ({ id: p.credentialId, type: 'public-key', transports: ['internal', 'hybrid'] })),
    );
    assert.throws(() => authenticator.createCredential({ options, origin }), { name: 'InvalidStateError' });
    // A new authenticator is still welcome.
    const fresh = new SoftwareAuthenticator().createCredential({ options, origin });
    const added = await finishPasskeyRegistration({ response: fresh, expectedChallenge: challenge, rpId, origin, existing: [passkey, other.passkey] });
    assert.notEqual(added.credentialId, passkey.credentialId);
  });

  it('refuses a credential that is already registered when existing passkeys are given', async () => {
    const authenticator = new SoftwareAuthenticator();
    const { options, challenge } = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
    const response = authenticator.createCredential({ options, origin });
    const passkey = await finishPasskeyRegistration({ response, expectedChallenge: challenge, rpId, origin });
    await rejectsWith(finishPasskeyRegistration({ response, expectedChallenge: challenge, rpId, origin, existing: [passkey] }), 'CREDENTIAL_ALREADY_REGISTERED');
  });

  it('accepts any of several allowed origins', async () => {
    const { options, challenge } = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
    const response = new SoftwareAuthenticator().createCredential({ options, origin: 'https://app.bank.example' });
    const passkey = await finishPasskeyRegistration({ response, expectedChallenge: challenge, rpId, origin: [origin, 'https://app.bank.example'] });
    assert.equal(passkey.credentialId, response.id);
  });

  describe('rejects', () => {
    const attempt = async (knobs: Partial<Parameters<SoftwareAuthenticator['createCredential']>[0]>, finish: { expectedChallenge?: string; rpId?: string; challengeExpiresAt?: string } = {}) => {
      const { options, challenge } = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
      const response = new SoftwareAuthenticator().createCredential({ options, origin, ...knobs });
      return finishPasskeyRegistration({ response, expectedChallenge: finish.expectedChallenge ?? challenge, rpId: finish.rpId ?? rpId, origin, ...(finish.challengeExpiresAt ? { challengeExpiresAt: finish.challengeExpiresAt } : {}) });
    };

    it('an answer to another challenge', async () => {
      const other = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
      await rejectsWith(attempt({}, { expectedChallenge: other.challenge }), 'CHALLENGE_MISMATCH');
      await rejectsWith(attempt({ challenge: other.challenge }), 'CHALLENGE_MISMATCH');
    });

    it('an expired challenge', async () => {
      await rejectsWith(attempt({}, { challengeExpiresAt: new Date(Date.now() - 1000).toISOString() }), 'CHALLENGE_EXPIRED');
    });

    it('a wrong origin', async () => {
      await rejectsWith(attempt({ origin: 'https://bank.example.evil.test' }), 'ORIGIN_MISMATCH');
    });

    it('a credential scoped to another RP ID', async () => {
      await rejectsWith(attempt({ rpId: 'evil.test' }), 'RP_ID_MISMATCH');
      await rejectsWith(attempt({}, { rpId: 'other.example' }), 'RP_ID_MISMATCH');
    });

    it('a registration without user verification', async () => {
      await rejectsWith(attempt({ userVerified: false }), 'USER_VERIFICATION_REQUIRED');
    });

    it('a response of another ceremony type', async () => {
      await rejectsWith(attempt({ type: 'webauthn.get' }), 'UNEXPECTED_CEREMONY_TYPE');
    });

    it('a malformed response', async () => {
      const { options, challenge } = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
      const response = new SoftwareAuthenticator().createCredential({ options, origin });
      const broken = { ...response, response: { ...response.response, attestationObject: 'AAAA' } };
      await rejectsWith(finishPasskeyRegistration({ response: broken, expectedChallenge: challenge, rpId, origin }), 'MALFORMED_RESPONSE');
      await rejectsWith(finishPasskeyRegistration({ response: { ...response, rawId: 'x' }, expectedChallenge: challenge, rpId, origin }), 'MALFORMED_RESPONSE');
      const swappedId = { ...response, id: 'AAAA', rawId: 'AAAA' };
      await rejectsWith(finishPasskeyRegistration({ response: swappedId, expectedChallenge: challenge, rpId, origin }), 'MALFORMED_RESPONSE');
    });

    it('a user handle over 64 bytes', async () => {
      await rejectsWith(startPasskeyRegistration({ rpId, rpName, user: { ...user, id: 'x'.repeat(65) }, existing: [] }), 'INVALID_USER_HANDLE');
    });
  });
});

describe('passkey authentication', () => {
  it('verifies real assertions and the counter advances', async () => {
    const { authenticator, passkey } = await register();
    const first = await login({ authenticator, passkey });
    assert.deepEqual(first, { newCounter: 1, userVerified: true, backedUp: false });
    const second = await login({ authenticator, passkey: { ...passkey, counter: first.newCounter } });
    assert.equal(second.newCounter, 2);
  });

  it('offers the allowed credentials, or none for a discoverable sign-in whose user handle names the user', async () => {
    const { authenticator, passkey } = await register();
    const allowed = await startPasskeyAuthentication({ rpId, allow: [passkey] });
    assert.deepEqual(allowed.options.allowCredentials?.map((c) => c.id), [passkey.credentialId]);
    assert.equal(allowed.options.userVerification, 'required');
    assert.equal(allowed.options.rpId, rpId);
    assert.equal(Buffer.from(allowed.challenge, 'base64url').length, 32);

    const discoverable = await startPasskeyAuthentication({ rpId });
    assert.ok(!discoverable.options.allowCredentials?.length);
    const response = authenticator.getAssertion({ options: discoverable.options, origin });
    assert.equal(response.id, passkey.credentialId);
    assert.equal(userIdFromUserHandle({ userHandle: response.response.userHandle ?? '' }), user.id);
    const result = await finishPasskeyAuthentication({ response, expectedChallenge: discoverable.challenge, rpId, origin, passkey });
    assert.equal(result.newCounter, 1);
  });

  it('accepts a synced passkey whose counter is always 0', async () => {
    const { authenticator, passkey } = await register({ authenticator: { backupEligible: true, backedUp: true, counter: 'zero' } });
    for (let i = 0; i < 2; i += 1) {
      assert.deepEqual(await login({ authenticator, passkey }), { newCounter: 0, userVerified: true, backedUp: true });
    }
  });

  describe('rejects', () => {
    it('an answer to another challenge', async () => {
      const { authenticator, passkey } = await register();
      const other = await startPasskeyAuthentication({ rpId });
      await rejectsWith(login({ authenticator, passkey, expectedChallenge: other.challenge }), 'CHALLENGE_MISMATCH');
      await rejectsWith(login({ authenticator, passkey, assertion: { challenge: other.challenge } }), 'CHALLENGE_MISMATCH');
    });

    it('a wrong origin', async () => {
      const { authenticator, passkey } = await register();
      await rejectsWith(login({ authenticator, passkey, assertion: { origin: 'https://bank-example.evil.test' } }), 'ORIGIN_MISMATCH');
    });

    it('an assertion for another RP ID', async () => {
      const { authenticator, passkey } = await register();
      await rejectsWith(login({ authenticator, passkey, assertion: { rpId: 'evil.test' } }), 'RP_ID_MISMATCH');
      await rejectsWith(login({ authenticator, passkey, rpId: 'other.example' }), 'RP_ID_MISMATCH');
    });

    it('an assertion without user verification', async () => {
      const { authenticator, passkey } = await register();
      await rejectsWith(login({ authenticator, passkey, assertion: { userVerified: false } }), 'USER_VERIFICATION_REQUIRED');
    });

    it('a tampered signature', async () => {
      const { authenticator, passkey } = await register();
      await rejectsWith(login({ authenticator, passkey, assertion: { tamperSignature: true } }), 'PASSKEY_VERIFICATION_FAILED');
    });

    it('an assertion signed by another credential', async () => {
      const { passkey } = await register();
      const intruder = await register();
      const { options, challenge } = await startPasskeyAuthentication({ rpId });
      const response = intruder.authenticator.getAssertion({ options, origin });
      await rejectsWith(finishPasskeyAuthentication({ response, expectedChallenge: challenge, rpId, origin, passkey }), 'CREDENTIAL_MISMATCH');
      // Even relabelled with the victim's id, the signature does not verify under the victim's key.
      const relabelled = { ...response, id: passkey.credentialId, rawId: passkey.credentialId };
      await rejectsWith(finishPasskeyAuthentication({ response: relabelled, expectedChallenge: challenge, rpId, origin, passkey }), 'PASSKEY_VERIFICATION_FAILED');
    });

    it('a registration response replayed as an assertion', async () => {
      const authenticator = new SoftwareAuthenticator();
      const registration = await startPasskeyRegistration({ rpId, rpName, user, existing: [] });
      const created = authenticator.createCredential({ options: registration.options, origin });
      const passkey = await finishPasskeyRegistration({ response: created, expectedChallenge: registration.challenge, rpId, origin });
      const replay: AuthenticationResponseJSON = {
        id: created.id,
        rawId: created.rawId,
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: created.response.clientDataJSON, authenticatorData: created.response.authenticatorData ?? '', signature: 'AAAA' },
      };
      await rejectsWith(finishPasskeyAuthentication({ response: replay, expectedChallenge: registration.challenge, rpId, origin, passkey }), 'UNEXPECTED_CEREMONY_TYPE');
    });

    it('a signature counter that goes backwards: a cloned authenticator', async () => {
      const { authenticator, passkey } = await register();
      const clone = authenticator.clone();
      const first = await login({ authenticator, passkey });
      const second = await login({ authenticator, passkey: { ...passkey, counter: first.newCounter } });
      assert.equal(second.newCounter, 2);
      // The clone still holds counter 0 and reports 1, which is behind the stored 2.
      await rejectsWith(login({ authenticator: clone, passkey: { ...passkey, counter: second.newCounter } }), 'COUNTER_REGRESSION');
      // Equal is not an advance either, and a stored counter with a reported 0 is a regression.
      await rejectsWith(login({ authenticator, passkey: { ...passkey, counter: 5 }, assertion: { signCount: 5 } }), 'COUNTER_REGRESSION');
      await rejectsWith(login({ authenticator, passkey: { ...passkey, counter: 5 }, assertion: { signCount: 0 } }), 'COUNTER_REGRESSION');
    });

    it('a forged low counter as a bad signature, not as a clone (so a forgery cannot get a passkey flagged)', async () => {
      const { authenticator, passkey } = await register();
      await rejectsWith(login({ authenticator, passkey: { ...passkey, counter: 9 }, assertion: { signCount: 1, tamperSignature: true } }), 'PASSKEY_VERIFICATION_FAILED');
    });

    it('a change of backup eligibility', async () => {
      const { authenticator, passkey } = await register();
      await rejectsWith(login({ authenticator, passkey, assertion: { backupEligible: true } }), 'BACKUP_ELIGIBILITY_CHANGED');
    });
  });
});

describe('passkey errors', () => {
  it('carry a stable code and a fixed message, and format for clients without a stack or internals', async () => {
    const { authenticator, passkey } = await register();
    const error = await login({ authenticator, passkey, expectedChallenge: 'AAAA' }).catch((e: unknown) => e);
    assert.ok(error instanceof PasskeyError);
    assert.equal(error.code, 'CHALLENGE_MISMATCH');
    assert.ok(!error.message.includes('AAAA'));
    const formatted = createErrorFormatter()({ message: 'x' }, error.toDomainError());
    assert.deepEqual(formatted.extensions, { code: 'UNAUTHENTICATED', details: { reason: 'CHALLENGE_MISMATCH' } });
    assert.equal(formatted.message, error.message);
    assert.ok(!JSON.stringify(formatted).includes('at '));
    assert.equal(new PasskeyError('MALFORMED_RESPONSE').toDomainError().code, 'BAD_USER_INPUT');
  });
});
