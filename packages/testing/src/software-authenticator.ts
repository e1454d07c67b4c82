import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { encodeCbor, type CborValue } from './cbor';

/**
 * A software WebAuthn authenticator plus the client (browser) half of the ceremony, for tests.
 * Everything it returns is real: a CBOR 'none' attestation object, authenticator data with the RP
 * ID hash, flags, signature counter and attested credential data (AAGUID, credential id, COSE
 * ES256 key), and ES256 signatures over authData || SHA-256(clientDataJSON). The per-call options
 * produce the bad cases a relying party must reject. Unlike a browser it does not check that the
 * origin belongs to the RP ID, so that an RP's own origin check can be exercised.
 */

// Authenticator data flags, WebAuthn §6.1.
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;
const ES256 = -7;

type Credential = {
  id: Buffer;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  cosePublicKey: Buffer;
  signCount: number;
};

export type SoftwareAuthenticatorOptions = {
  /** 16 bytes; defaults to all zeros, as many platform authenticators report with 'none' attestation. */
  aaguid?: Uint8Array;
  /**
   * 'incrementing' (a security key: +1 per signature, starting at 0 on creation) or 'zero' (a
   * synced passkey that always reports 0).
   */
  counter?: 'incrementing' | 'zero';
  /** Models a synced passkey: BE set, and BS when `backedUp`. */
  backupEligible?: boolean;
  backedUp?: boolean;
  transports?: string[];
};

/** Knobs for a registration; each one produces a response a relying party must reject. */
export type CreateCredentialOptions = {
  options: PublicKeyCredentialCreationOptionsJSON;
  origin: string;
  /** false: the user only touched the device (UP without UV). */
  userVerified?: boolean;
  /** Hash this RP ID instead of `options.rp.id`. */
  rpId?: string;
  /** Put this challenge in clientDataJSON instead of the one in the options. */
  challenge?: string;
  /** clientDataJSON.type, 'webauthn.create' by default. */
  type?: string;
};

/** Knobs for an assertion; each one produces a response a relying party must reject. */
export type GetAssertionOptions = {
  options: PublicKeyCredentialRequestOptionsJSON;
  origin: string;
  /** Which held credential to use when several match; the first match otherwise. */
  credentialId?: string;
  userVerified?: boolean;
  rpId?: string;
  challenge?: string;
  type?: string;
  /** Report this signature counter (and remember it), e.g. one going backwards. */
  signCount?: number;
  /** Report this BE flag instead of the authenticator's. */
  backupEligible?: boolean;
  /** Flip a bit of the signature's last byte: the DER stays well formed, the signature is wrong. */
  tamperSignature?: boolean;
};

/** A DOMException-like failure, named as `navigator.credentials` would name it. */
export class AuthenticatorError extends Error {
  constructor(name: 'InvalidStateError' | 'NotAllowedError' | 'NotSupportedError', message: string) {
    super(message);
    this.name = name;
  }
}

export class SoftwareAuthenticator {
  private readonly aaguid: Buffer;
  private readonly counterMode: 'incrementing' | 'zero';
  private readonly backupEligible: boolean;
  private readonly backedUp: boolean;
  private readonly transports: string[];
  private credentials: Credential[] = [];

  constructor(opts: SoftwareAuthenticatorOptions = {}) {
    this.aaguid = Buffer.from(opts.aaguid ?? new Uint8Array(16));
    if (this.aaguid.length !== 16) throw new Error('an AAGUID is 16 bytes');
    this.counterMode = opts.counter ?? 'incrementing';
    this.backupEligible = opts.backupEligible ?? false;
    this.backedUp = opts.backedUp ?? false;
    this.transports = opts.transports ?? ['internal', 'hybrid'];
  }

  /** The base64url ids of the credentials this authenticator holds. */
  get credentialIds(): string[] {
    return this.credentials.map((c) => c.id.toString('base64url'));
  }

  /**
   * A copy holding the same keys and counters: what an attacker who extracted the keys would have.
   * From then on the two counters advance independently.
   */
  clone(): SoftwareAuthenticator {
    const copy = new SoftwareAuthenticator({
      aaguid: this.aaguid,
      counter: this.counterMode,
      backupEligible: this.backupEligible,
      backedUp: this.backedUp,
      transports: this.transports,
    });
    copy.credentials = this.credentials.map((c) => ({ ...c }));
    return copy;
  }

  /** `navigator.credentials.create()`: makes a new ES256 credential and its 'none' attestation. */
  createCredential(opts: CreateCredentialOptions): RegistrationResponseJSON {
    const { options } = opts;
    const rpId = options.rp.id ?? new URL(opts.origin).hostname;
    if (!options.pubKeyCredParams.some((p) => p.type === 'public-key' && p.alg === ES256)) {
      throw new AuthenticatorError('NotSupportedError', 'only ES256 is supported');
    }
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => trim(c.id)));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(c.id.toString('base64url')))) {
      throw new AuthenticatorError('InvalidStateError', 'this authenticator already holds an excluded credential');
    }

    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credential: Credential = {
      id: randomBytes(32),
      rpId,
      userHandle: options.user.id,
      privateKey,
      cosePublicKey: encodeCbor(
        new Map<number, CborValue>([
          [1, 2], // kty: EC2
          [3, ES256], // alg
          [-1, 1], // crv: P-256
          [-2, Buffer.from(jwk.x ?? '', 'base64url')],
          [-3, Buffer.from(jwk.y ?? '', 'base64url')],
        ]),
      ),
      signCount: 0,
    };
    this.credentials.push(credential);

    const clientDataJSON = this.clientData({ type: opts.type ?? 'webauthn.create', challenge: opts.challenge ?? options.challenge, origin: opts.origin });
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.authDataHead({ rpId: opts.rpId ?? rpId, flags: AT | this.userFlags(opts.userVerified) | this.backupFlags(), signCount: credential.signCount }),
      this.aaguid,
      idLength,
      credential.id,
      credential.cosePublicKey,
    ]);
    // CTAP2 canonical key order (shorter keys first): fmt, attStmt, authData.
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: options.extensions?.credProps ? { credProps: { rk: true } } : {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        publicKeyAlgorithm: ES256,
        publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
        transports: this.transports as NonNullable<RegistrationResponseJSON['response']['transports']>,
      },
    };
  }

  /** `navigator.credentials.get()`: signs an assertion with a held credential for the RP. */
  getAssertion(opts: GetAssertionOptions): AuthenticationResponseJSON {
    const { options } = opts;
    const rpId = options.rpId ?? new URL(opts.origin).hostname;
    const allowed = new Set((options.allowCredentials ?? []).map((c) => trim(c.id)));
    const candidates = this.credentials.filter(
      (c) =>
        c.rpId === rpId &&
        (allowed.size === 0 || allowed.has(c.id.toString('base64url'))) &&
        (opts.credentialId === undefined || c.id.toString('base64url') === trim(opts.credentialId)),
    );
    const credential = candidates[0];
    if (!credential) throw new AuthenticatorError('NotAllowedError', 'no matching credential');

    if (opts.signCount !== undefined) credential.signCount = opts.signCount;
    else if (this.counterMode === 'incrementing') credential.signCount += 1;

    const clientDataJSON = this.clientData({ type: opts.type ?? 'webauthn.get', challenge: opts.challenge ?? options.challenge, origin: opts.origin });
    const authData = this.authDataHead({
      rpId: opts.rpId ?? rpId,
      flags: this.userFlags(opts.userVerified) | this.backupFlags(opts.backupEligible),
      signCount: credential.signCount,
    });
    const clientDataHash = createHash('sha256').update(clientDataJSON).digest();
    // node:crypto signs ES256 as an ASN.1 DER (r, s) sequence, which is the WebAuthn format.
    const signature = sign('sha256', Buffer.concat([authData, clientDataHash]), credential.privateKey);
    if (opts.tamperSignature) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: credential.userHandle,
      },
    };
  }

  private clientData(opts: { type: string; challenge: string; origin: string }): Buffer {
    // Key order as browsers serialise it (WebAuthn §5.8.1.1).
    return Buffer.from(JSON.stringify({ type: opts.type, challenge: opts.challenge, origin: opts.origin, crossOrigin: false }), 'utf8');
  }

  private authDataHead(opts: { rpId: string; flags: number; signCount: number }): Buffer {
    const head = Buffer.alloc(37);
    createHash('sha256').update(opts.rpId, 'utf8').digest().copy(head, 0);
    head.writeUInt8(opts.flags, 32);
    head.writeUInt32BE(opts.signCount, 33);
    return head;
  }

  private userFlags(userVerified: boolean | undefined): number {
    return UP | (userVerified === false ? 0 : UV);
  }

  private backupFlags(backupEligible: boolean = this.backupEligible): number {
    return (backupEligible ? BE : 0) | (backupEligible && this.backedUp ? BS : 0);
  }
}

function trim(id: string): string {
  return id.replace(/=+$/, '');
}
