import { maskDocument } from '@baas/observability';
import { REDACTED, maskAuditEmail, maskAuditPhone, maskSensitiveText } from './mask-sensitive-text';

// Limits keep one careless caller from turning the audit trail into a dump: deep or huge values
// are cut, never rejected (an audit write must not fail because of its details).
const MAX_DEPTH = 8;
const MAX_KEYS = 100;
const MAX_ITEMS = 100;
const MAX_STRING = 1024;
const MAX_KEY = 128;
// Scanning a little past the cut means a value straddling it is masked before it is cut.
const SCAN_MARGIN = 1024;

type Masker = (value: string) => string;

const mask = {
  redact: () => REDACTED,
  email: (value: string) => (EMAIL_ONLY.test(value.trim()) ? maskAuditEmail(value.trim()) : '***'),
  phone: maskAuditPhone,
  document: (value: string) => maskDocument(value),
} satisfies Record<string, Masker>;

const EMAIL_ONLY = /^[^\s@]+@[^\s@]+$/;

// Keys are compared lower-cased with everything but letters and digits removed, so `refresh_token`,
// `refreshToken` and `Refresh-Token` are one key.
// A Map, not an object literal: a key named `constructor` or `toString` must not find Object's methods.
const EXACT_KEYS = new Map<string, Masker>(Object.entries({
  code: mask.redact,
  otp: mask.redact,
  otpcode: mask.redact,
  authcode: mask.redact,
  authorizationcode: mask.redact,
  verificationcode: mask.redact,
  pin: mask.redact,
  cvv: mask.redact,
  cvc: mask.redact,
  pan: mask.redact,
  cardnumber: mask.redact,
  privatekey: mask.redact,
  taxid: mask.document,
  cpf: mask.document,
  cnpj: mask.document,
  document: mask.document,
  documentnumber: mask.document,
  msisdn: mask.phone,
  mobile: mask.phone,
}));

// Suffixes catch the many spellings of one secret: accessToken, idToken, clientSecret, newPassword, workEmail.
const SUFFIX_KEYS: [string, Masker][] = [
  ['token', mask.redact],
  ['secret', mask.redact],
  ['password', mask.redact],
  ['passphrase', mask.redact],
  ['authorization', mask.redact],
  ['cookie', mask.redact],
  ['apikey', mask.redact],
  ['email', mask.email],
  ['emailaddress', mask.email],
  ['phone', mask.phone],
  ['phonenumber', mask.phone],
];

function maskerFor(key: string): Masker | undefined {
  const norm = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return EXACT_KEYS.get(norm) ?? SUFFIX_KEYS.find(([suffix]) => norm.endsWith(suffix))?.[1];
}

/**
 * A copy of `details` that is safe to store in the audit trail:
 * - under a known key, secrets and one-time codes (token, accessToken, refreshToken, password,
 *   secret, code, otp, authorization, cookie, apiKey, pan, cvv, ...) become "[REDACTED]", e-mails
 *   `a***@d***.com`, phones `***21`, documents (cpf, cnpj, taxId, document) the platform mask;
 * - under any key, strings are scanned and every e-mail, CPF, CNPJ, JWT or Bearer/Basic credential
 *   inside them is masked; 11- and 14-digit integers (a CPF/CNPJ stored as a number) too;
 * - bigint becomes a decimal string, Dates stay Dates, functions/symbols/undefined are dropped;
 * - keys are masked the same way and made storable (no `.`, no leading `$`);
 * - depth, keys, array items and string length are capped; cycles become "[Circular]".
 */
export function sanitizeAuditDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out = sanitizeValue(details, 0, new Set(), undefined);
  return out !== null && typeof out === 'object' && !Array.isArray(out) && !(out instanceof Date) ? (out as Record<string, unknown>) : {};
}

/** Masks personal data inside free text (an audit `reason`), and caps its length. */
export function sanitizeAuditText(text: string, max = MAX_STRING): string {
  const scanned = maskSensitiveText(text.length > max + SCAN_MARGIN ? text.slice(0, max + SCAN_MARGIN) : text);
  return scanned.length > max ? `${scanned.slice(0, max)}…` : scanned;
}

function sanitizeValue(value: unknown, depth: number, path: Set<object>, masker: Masker | undefined): unknown {
  if (masker === mask.redact) return REDACTED;
  if (value === undefined) return undefined;
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return masker ? masker(value.slice(0, MAX_STRING + SCAN_MARGIN)) : sanitizeAuditText(value);
    case 'number':
      if (!Number.isFinite(value)) return String(value);
      if (masker) return masker(String(value));
      return Number.isInteger(value) && (Math.abs(value) >= 1e10 && Math.abs(value) < 1e11 || Math.abs(value) >= 1e13 && Math.abs(value) < 1e14)
        ? maskDocument(String(Math.abs(value)))
        : value;
    case 'bigint':
      return sanitizeValue(value.toString(), depth, path, masker);
    case 'boolean':
      return value;
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : new Date(value.getTime());
  if (depth >= MAX_DEPTH) return '[Truncated]';
  const obj = value as object;
  if (path.has(obj)) return '[Circular]';
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[binary ${(obj as ArrayBufferLike).byteLength} bytes]`;
  path.add(obj);
  try {
    if (Array.isArray(obj) || obj instanceof Set) {
      return [...(obj as Iterable<unknown>)].slice(0, MAX_ITEMS).map((item) => sanitizeValue(item, depth + 1, path, masker) ?? null);
    }
    const entries = obj instanceof Map ? [...obj.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(obj);
    if (obj instanceof Error) entries.unshift(['name', obj.name], ['message', obj.message]);
    const result: [string, unknown][] = [];
    for (const [key, item] of entries.slice(0, MAX_KEYS)) {
      const clean = sanitizeValue(item, depth + 1, path, masker ?? maskerFor(key));
      if (clean !== undefined) result.push([sanitizeKey(key), clean]);
    }
    // fromEntries defines own properties, so a `__proto__` key stays data, not a prototype.
    return Object.fromEntries(result);
  } finally {
    path.delete(obj);
  }
}

// MongoDB (FerretDB included) rejects keys with a dot or a leading `$`.
function sanitizeKey(key: string): string {
  const masked = sanitizeAuditText(key, MAX_KEY).replaceAll('.', '_');
  return masked.startsWith('$') ? `_${masked.slice(1)}` : masked || '_';
}
