import { LedgerProofError } from './errors';

/**
 * What canonicalize accepts: JSON values plus bigint, with `undefined` allowed only as an object property (omitted).
 * Declare journal payloads as `type` aliases, not interfaces: an interface has no index signature and is not assignable.
 */
export type CanonicalValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

/**
 * Canonical JSON text of `value`, the exact string a journal entry's hash commits to.
 *
 * - Objects: own enumerable string keys sorted by UTF-16 code units (as RFC 8785 JCS does), properties whose value is
 *   `undefined` omitted; only plain objects (prototype Object.prototype or null) are accepted.
 * - Arrays: in order; holes and `undefined` elements are refused (JSON.stringify would write null, hiding a bug).
 * - Strings and keys: escaped exactly as JSON.stringify does (`\"`, `\\`, `\b \f \n \r \t`, other controls as
 *   `\u00xx`, lone surrogates as `\udxxx`, everything else literal), so the result is always valid UTF-8.
 * - Numbers: safe integers only (|n| ≤ 2^53 − 1), written in decimal; -0 is written 0.
 * - bigint: a JSON string of its decimal digits (`12n` → `"12"`, `-5n` → `"-5"`), so money never becomes a float
 *   in any JSON parser.
 * - `null`, `true`, `false` as themselves; no whitespace anywhere.
 *
 * Throws LedgerProofError NON_CANONICAL_VALUE, naming the path, for floats, NaN, ±Infinity, unsafe integers, Dates,
 * Buffers and other typed arrays, Maps, class instances, functions, symbols (values or keys), `undefined` outside an
 * object property, and cycles. Shared (acyclic) references are fine.
 */
export function canonicalize(value: CanonicalValue): string {
  return encode(value, '$', new Set());
}

function encode(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value.toString(10)}"`;
    case 'number':
      if (!Number.isSafeInteger(value)) throw refuse(path, `${String(value)} is not a safe integer (use bigint or a string)`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object':
      if (value === null) return 'null';
      return encodeContainer(value, path, ancestors);
    default:
      throw refuse(path, `a ${typeof value} has no canonical JSON form`);
  }
}

function encodeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw refuse(path, 'cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return encodeArray(value, path, ancestors);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw refuse(path, `${typeof name === 'string' ? name : 'a class instance'} is not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw refuse(path, 'symbol keys have no JSON form');
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort(compareCodeUnits)) {
      const child = record[key];
      if (child === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${encode(child, `${path}[${JSON.stringify(key)}]`, ancestors)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function encodeArray(value: readonly unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (!(i in value) || value[i] === undefined) throw refuse(`${path}[${i}]`, 'undefined array element');
    parts.push(encode(value[i], `${path}[${i}]`, ancestors));
  }
  return `[${parts.join(',')}]`;
}

// Explicit, so nobody has to remember that the default sort compares UTF-16 code units (not code points or locale).
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function refuse(path: string, why: string): LedgerProofError {
  return new LedgerProofError('NON_CANONICAL_VALUE', `canonicalize: ${path}: ${why}`);
}
