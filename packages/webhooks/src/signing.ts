import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * Standard Webhooks signing (spec 1.0.0, symmetric scheme): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}`, sent as `v1,<base64>`; secrets are `whsec_<base64>`
 * of 24 to 64 random bytes. The HMAC itself is the `standardwebhooks` package's (`Webhook.sign`,
 * `Webhook.verify`), never our own. Rotation: every active secret signs, the signatures go
 * space-separated in one `webhook-signature` header, and a receiver accepts any one that matches.
 */

export const SECRET_PREFIX = 'whsec_';
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;
/** The bytes `generateSigningSecret` draws (256 bits). */
export const SECRET_DEFAULT_BYTES = 32;
/** How far a receiver's clock may be from the timestamp (the library's fixed window). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A new secret: `whsec_` + base64 of `bytes` (24..64) cryptographically random bytes. */
export function generateSigningSecret(bytes = SECRET_DEFAULT_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < SECRET_MIN_BYTES || bytes > SECRET_MAX_BYTES) throw new RangeError(`a secret is ${SECRET_MIN_BYTES} to ${SECRET_MAX_BYTES} bytes`);
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `secret` is a well-formed `whsec_` secret of 24..64 bytes (canonical base64). */
export function isSigningSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(b64)) return false;
  const n = Buffer.from(b64, 'base64').length;
  return n >= SECRET_MIN_BYTES && n <= SECRET_MAX_BYTES;
}

/** A `webhook-id`: the event id, 1..255 of [A-Za-z0-9_-] (the spec forbids `.`, which delimits). */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,255}$/;

export function isMessageId(id: string): boolean {
  return MESSAGE_ID.test(id);
}

export type SignInput = {
  /** The event id (also the receivers' idempotency key: the same on every attempt and replay). */
  id: string;
  /** When this attempt is made (whole seconds are signed). */
  timestamp: Date;
  /** The exact bytes sent as the body. */
  body: string | Uint8Array;
};

function signer(secret: string): Webhook {
  if (!isSigningSecret(secret)) throw new TypeError('not a whsec_ signing secret of 24 to 64 bytes');
  return new Webhook(secret);
}

/** The `v1,<base64>` signature of one secret. */
export function signWith(secret: string, input: SignInput): string {
  if (!isMessageId(input.id)) throw new TypeError('a webhook id is 1 to 255 of [A-Za-z0-9_-]');
  if (!Number.isFinite(input.timestamp.getTime()) || input.timestamp.getTime() < 0) throw new TypeError('the timestamp is not a valid time');
  return signer(secret).sign(input.id, input.timestamp, input.body);
}

/** The three headers, signed with every secret given (the active ones during a rotation), in order. */
export function signWebhook(secrets: readonly string[], input: SignInput): WebhookHeaders {
  if (secrets.length === 0) throw new TypeError('at least one signing secret is needed');
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => signWith(secret, input)).join(' '),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'MISSING_HEADERS' | 'BAD_TIMESTAMP' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'NO_MATCHING_SIGNATURE' };

/**
 * Verifies a received webhook with the library, accepting it when any of `secrets` matches any of
 * its signatures (a receiver holds the old and the new secret while a rotation overlaps). The
 * timestamp must be within 5 minutes of the receiver's clock. `headers` names are case-insensitive.
 */
export function verifyWebhook(secrets: readonly string[], body: string | Uint8Array, headers: Record<string, string | string[] | undefined>): VerifyResult {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(' ') : value;
  if (!flat['webhook-id'] || !flat['webhook-timestamp'] || !flat['webhook-signature']) return { ok: false, reason: 'MISSING_HEADERS' };
  if (!/^\d{1,12}$/.test(flat['webhook-timestamp'])) return { ok: false, reason: 'BAD_TIMESTAMP' };
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, flat, { jsonParse: false });
      return { ok: true };
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      if (/timestamp too (old|new)/i.test(err.message)) return { ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' };
    }
  }
  return { ok: false, reason: 'NO_MATCHING_SIGNATURE' };
}
