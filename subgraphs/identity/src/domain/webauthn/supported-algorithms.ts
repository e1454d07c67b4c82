/**
 * COSE algorithms offered and accepted: Ed25519, ES256 (what platform passkeys use) and RS256
 * (Windows Hello). Registration rejects a key of any other algorithm.
 */
export const PASSKEY_ALGORITHM_IDS = [-8, -7, -257];

/** Transports the WebAuthn JSON types know; anything else a client sends is dropped. */
export const PASSKEY_TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;

export type PasskeyTransport = (typeof PASSKEY_TRANSPORTS)[number];

/** Keeps only the transports the WebAuthn types know, so stored strings round-trip into options. */
export function knownTransports(opts: { transports: readonly unknown[] | undefined }): PasskeyTransport[] | undefined {
  if (!Array.isArray(opts.transports)) return undefined;
  return opts.transports.filter((t): t is PasskeyTransport => (PASSKEY_TRANSPORTS as readonly unknown[]).includes(t));
}
