import { createHash } from 'node:crypto';

/**
 * The canonical JSON of a request's normalised input: object keys sorted, bigints as decimal
 * strings, Dates as ISO strings, undefined object members left out (as JSON does) and undefined
 * array items as null. Anything else that JSON would silently mangle (NaN, Infinity, a Map, a
 * Buffer, a class instance) is refused: a fingerprint must not depend on what JSON happens to drop.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
      return JSON.stringify(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
  // Loops and concatenation, not map/join: fingerprints are on the ledger's hot path (thousands per batch).
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (value instanceof Date) return quote(value.toISOString());
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new TypeError('canonicalJson: only plain objects, arrays and scalars');
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    if (record[key] === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${quote(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
}

/** Printable ASCII without a quote or backslash needs no escaping (ids, codes, currencies); the rest goes to JSON.stringify. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/**
 * The fingerprint of a creating request: SHA-256 (hex) of the canonical JSON of `[kind, input]`.
 * `kind` names the operation and its version ('tenant/v1'), so two operations never share a
 * fingerprint; `input` is the request after normalisation (trimmed, lower-cased, parsed amounts),
 * so two spellings of one request match. Stored with the created row; a repeat with the same key
 * and fingerprint is a replay, with another fingerprint IDEMPOTENCY_KEY_REUSED.
 * Hash values derived from secrets or PII (blind indexes), never the clear values: it is stored.
 */
export function requestFingerprint(kind: string, input: unknown): string {
  return createHash('sha256').update(canonicalJson([kind, input])).digest('hex');
}

/**
 * The request hash rows written before @baas/idempotency store: SHA-256 of JSON.stringify(value)
 * (arrays in order, object keys in insertion order). Accepted on replay only (createOrReplay's
 * `acceptedHashes`) so that a retry spanning the upgrade still replays; never written.
 */
export function legacyRequestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
