import type { CredentialDeviceType } from '@simplewebauthn/server';

/**
 * A registered passkey as plain JSON-safe values, so the caller can persist it anywhere (Prisma
 * row, Redis hash). The caller owns the user link and must keep `credentialId` unique.
 */
export type StoredPasskey = {
  /** base64url credential id, as the authenticator reported it. */
  credentialId: string;
  /** base64url COSE_Key public key. */
  publicKey: string;
  /** Last signature counter seen; 0 forever for most synced passkeys. */
  counter: number;
  transports?: string[];
  /** `multiDevice` when the authenticator may sync it (the BE flag), which never changes. */
  deviceType: CredentialDeviceType;
  /** Whether it is currently backed up (the BS flag); may change, so refresh it on each login. */
  backedUp: boolean;
  /** ISO 8601. */
  createdAt: string;
};

/** What a start function hands to the caller: options for the browser and the challenge to store. */
export type PasskeyCeremonyStart<TOptions> = {
  options: TOptions;
  /** base64url of 32 random bytes; store it with PASSKEY_CHALLENGE_TTL_SECONDS and consume it once (GETDEL). */
  challenge: string;
  /** ISO 8601; for stores without a TTL, pass it back as `challengeExpiresAt` when finishing. */
  expiresAt: string;
};
