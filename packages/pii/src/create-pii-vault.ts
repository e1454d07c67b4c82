import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { assertContext, assertText } from './assert-text';
import { assertKeyId, decodeKey } from './decode-key';
import { PiiError } from './errors';
import { IV_BYTES, TAG_BYTES, buildAad, formatSealed, parseSealed } from './sealed-format';

export type CreatePiiVaultOptions = {
  /** Key id -> base64 of 32 bytes; every id that ever sealed a stored value must stay here. */
  keys: Record<string, string>;
  /** The only key that encrypts; the others only decrypt. */
  activeKeyId: string;
  /** base64 of 32 bytes, distinct from every encryption key; used only for blind indexes. */
  blindIndexKey: string;
};

export type PiiVault = {
  readonly activeKeyId: string;
  /** Seals `plaintext` as `v1.<keyId>.<iv>.<ciphertext+tag>` with the active key, bound to `context`. */
  encrypt(plaintext: string, context: string): string;
  /** Opens a sealed value with the key it names; throws PiiError on tampering, wrong context or unknown key. */
  decrypt(sealed: string, context: string): string;
  /** Deterministic HMAC-SHA256 (hex) of `context + '\0' + value`, for unique indexes and exact look-ups. */
  blindIndex(value: string, context: string): string;
  /** True when `sealed` was sealed with a key other than the active one. */
  needsReencryption(sealed: string): boolean;
  /** Re-seals under the active key, returning `sealed` unchanged when it already uses it. */
  rotate(sealed: string, context: string): string;
};

/**
 * Builds the PII vault: AES-256-GCM with a random 96-bit IV per message and `context` (for example
 * `customer.email:<tenantId>`) as AAD, so a ciphertext cannot move to another field or tenant.
 * Keys are validated here, once, so a bad config fails at startup rather than on first use.
 */
export function createPiiVault(options: CreatePiiVaultOptions): PiiVault {
  const { activeKeyId } = options;
  const keys = new Map<string, KeyObject>();
  const rawKeys: Buffer[] = [];
  for (const [keyId, base64] of Object.entries(options.keys ?? {})) {
    assertKeyId({ keyId });
    const raw = decodeKey({ base64, label: `PII key "${keyId}"` });
    rawKeys.push(raw);
    keys.set(keyId, createSecretKey(raw));
  }
  const maybeActive = keys.get(activeKeyId);
  if (maybeActive === undefined) {
    throw new PiiError('UNKNOWN_KEY_ID', 'activeKeyId is not one of the configured PII keys');
  }
  const activeKey: KeyObject = maybeActive;
  const indexRaw = decodeKey({ base64: options.blindIndexKey, label: 'PII blind index key' });
  // Sharing a key between AES and HMAC couples two primitives' security; refuse the easy mistake.
  if (rawKeys.some((raw) => raw.equals(indexRaw))) {
    throw new PiiError('INVALID_KEY', 'PII blind index key must differ from every encryption key');
  }
  const indexKey = createSecretKey(indexRaw);
  rawKeys.length = 0;

  function encrypt(plaintext: string, context: string): string {
    assertText({ value: plaintext, name: 'PII plaintext' });
    assertContext({ context });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', activeKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(buildAad({ keyId: activeKeyId, context }));
    const payload = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return formatSealed({ keyId: activeKeyId, iv, payload });
  }

  function decrypt(sealed: string, context: string): string {
    assertContext({ context });
    const { keyId, iv, payload } = parseSealed({ sealed });
    const key = keys.get(keyId);
    if (key === undefined) throw new PiiError('UNKNOWN_KEY_ID', `no PII key with id "${keyId}" is configured`);
    const tag = payload.subarray(payload.length - TAG_BYTES);
    const ciphertext = payload.subarray(0, payload.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(buildAad({ keyId, context }));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch (error) {
      // GCM cannot tell tampering from a wrong context or key, and saying which would help an attacker.
      throw new PiiError('DECRYPTION_FAILED', 'PII value failed authentication (tampered, wrong context or wrong key)', {
        cause: error,
      });
    }
  }

  function blindIndex(value: string, context: string): string {
    assertText({ value, name: 'PII value' });
    assertContext({ context });
    return createHmac('sha256', indexKey).update(`${context}\0${value}`, 'utf8').digest('hex');
  }

  function needsReencryption(sealed: string): boolean {
    return parseSealed({ sealed }).keyId !== activeKeyId;
  }

  function rotate(sealed: string, context: string): string {
    const plaintext = decrypt(sealed, context);
    return needsReencryption(sealed) ? encrypt(plaintext, context) : sealed;
  }

  return Object.freeze({ activeKeyId, encrypt, decrypt, blindIndex, needsReencryption, rotate });
}
