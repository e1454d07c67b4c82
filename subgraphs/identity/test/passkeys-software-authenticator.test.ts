import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { decodeAttestationObject, isoBase64URL, isoCBOR, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { encodeCbor, SoftwareAuthenticator, type CborValue } from '@baas/testing';

const rpId = 'bank.example';
const origin = 'https://bank.example';
const creationOptions = () =>
  generateRegistrationOptions({ rpName: 'Example Bank', rpID: rpId, userName: 'ana', userID: new Uint8Array([1, 2, 3]), authenticatorSelection: { userVerification: 'required' } });

describe('CBOR encoder', () => {
  // RFC 8949 Appendix A.
  const vectors: [CborValue, string][] = [
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [100, '1864'],
    [1000, '1903e8'],
    [1000000, '1a000f4240'],
    [1000000000000, '1b000000e8d4a51000'],
    [-1, '20'],
    [-10, '29'],
    [-100, '3863'],
    [-1000, '3903e7'],
    ['', '60'],
    ['a', '6161'],
    ['\u00fc', '62c3bc'],
    [new Uint8Array([1, 2, 3, 4]), '4401020304'],
    [[1, [2, 3], [4, 5]], '8301820203820405'],
    [new Map<number, CborValue>([[1, 2], [3, 4]]), 'a201020304'],
    [new Map<string, CborValue>([['a', 1], ['b', [2, 3]]]), 'a26161016162820203'],
  ];
  for (const [value, hex] of vectors) {
    it(`encodes ${hex}`, () => assert.equal(encodeCbor(value).toString('hex'), hex));
  }

  it('round-trips through the CBOR decoder the library uses', () => {
    const value = new Map<string, CborValue>([['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(300).fill(7)]]);
    const encoded = encodeCbor(value);
    assert.deepEqual(Buffer.from(isoCBOR.encode(isoCBOR.decodeFirst(new Uint8Array(encoded)))), encoded);
  });
});

describe('software authenticator', () => {
  it('produces a none attestation with UP|UV|AT, the RP ID hash, an AAGUID and a COSE ES256 key', async () => {
    const aaguid = new Uint8Array(16).fill(0xab);
    const authenticator = new SoftwareAuthenticator({ aaguid });
    const options = await creationOptions();
    const response = authenticator.createCredential({ options, origin });
    const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject));
    assert.equal(attestation.get('fmt'), 'none');
    assert.equal(attestation.get('attStmt').size, 0);
    const authData = parseAuthenticatorData(attestation.get('authData'));
    assert.deepEqual(Buffer.from(authData.rpIdHash), createHash('sha256').update(rpId).digest());
    assert.equal(authData.flags.flagsInt, 0x01 | 0x04 | 0x40);
    assert.equal(authData.counter, 0);
    assert.deepEqual(authData.aaguid, aaguid);
    assert.equal(isoBase64URL.fromBuffer(authData.credentialID ?? new Uint8Array()), response.id);
    const cose = isoCBOR.decodeFirst<Map<number, unknown>>(authData.credentialPublicKey ?? new Uint8Array());
    assert.deepEqual([...cose.keys()], [1, 3, -1, -2, -3]);
    assert.deepEqual([cose.get(1), cose.get(3), cose.get(-1)], [2, -7, 1]);
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    assert.deepEqual(clientData, { type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false });
  });

  it('sets BE and BS when it models a synced passkey', async () => {
    const response = new SoftwareAuthenticator({ backupEligible: true, backedUp: true }).createCredential({ options: await creationOptions(), origin });
    const authData = parseAuthenticatorData(isoBase64URL.toBuffer(response.response.authenticatorData ?? ''));
    assert.equal(authData.flags.be && authData.flags.bs, true);
  });

  it('signs authData || SHA-256(clientDataJSON) with ES256 and increments its counter; the library verifies it', async () => {
    const authenticator = new SoftwareAuthenticator();
    const options = await creationOptions();
    const created = authenticator.createCredential({ options, origin });
    const registration = await verifyRegistrationResponse({ response: created, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpId });
    assert.equal(registration.verified, true);
    const credential = registration.registrationInfo?.credential;
    assert.ok(credential);

    let counter = credential.counter;
    for (const expected of [1, 2]) {
      const request = await generateAuthenticationOptions({ rpID: rpId, userVerification: 'required' });
      const assertion = authenticator.getAssertion({ options: request, origin });
      const authData = Buffer.from(assertion.response.authenticatorData, 'base64url');
      const clientDataHash = createHash('sha256').update(Buffer.from(assertion.response.clientDataJSON, 'base64url')).digest();
      const spki = createPublicKey({ key: Buffer.from(created.response.publicKey ?? '', 'base64url'), format: 'der', type: 'spki' });
      assert.equal(verify('sha256', Buffer.concat([authData, clientDataHash]), spki, Buffer.from(assertion.response.signature, 'base64url')), true);
      const result = await verifyAuthenticationResponse({ response: assertion, expectedChallenge: request.challenge, expectedOrigin: origin, expectedRPID: rpId, credential: { ...credential, counter } });
      assert.equal(result.verified, true);
      assert.equal(result.authenticationInfo.newCounter, expected);
      counter = result.authenticationInfo.newCounter;
    }
  });

  it('produces the bad cases the library itself rejects', async () => {
    const authenticator = new SoftwareAuthenticator();
    const options = await creationOptions();
    const created = authenticator.createCredential({ options, origin });
    const registration = await verifyRegistrationResponse({ response: created, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpId });
    const credential = registration.registrationInfo?.credential;
    assert.ok(credential);
    const check = async (knobs: Partial<Parameters<SoftwareAuthenticator['getAssertion']>[0]>, stored = 0) => {
      const request = await generateAuthenticationOptions({ rpID: rpId, userVerification: 'required' });
      const response = authenticator.getAssertion({ options: request, origin, ...knobs });
      const result = await verifyAuthenticationResponse({ response, expectedChallenge: request.challenge, expectedOrigin: origin, expectedRPID: rpId, credential: { ...credential, counter: stored } });
      return result.verified;
    };
    await assert.rejects(check({ origin: 'https://evil.test' }), /origin/);
    await assert.rejects(check({ rpId: 'evil.test' }), /RP ID/);
    await assert.rejects(check({ userVerified: false }), /User verification/);
    await assert.rejects(check({ signCount: 3 }, 7), /counter/);
    assert.equal(await check({ tamperSignature: true }), false);
    assert.equal(await check({ signCount: 8 }, 7), true);
  });

  it('refuses to register again when it holds an excluded credential, and to sign for an unknown RP', async () => {
    const authenticator = new SoftwareAuthenticator();
    const first = authenticator.createCredential({ options: await creationOptions(), origin });
    const options = await generateRegistrationOptions({ rpName: 'Example Bank', rpID: rpId, userName: 'ana', excludeCredentials: [{ id: first.id }] });
    assert.throws(() => authenticator.createCredential({ options, origin }), { name: 'InvalidStateError' });
    const request = await generateAuthenticationOptions({ rpID: 'other.example' });
    assert.throws(() => authenticator.getAssertion({ options: request, origin: 'https://other.example' }), { name: 'NotAllowedError' });
  });
});
