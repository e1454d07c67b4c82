import { isValidCnpj, isValidCpf, normalizeCnpj, normalizeCpf, normalizeEmail, normalizePhoneE164 } from '@baas/br-documents';
import { DomainError } from '@baas/errors';

/**
 * PIX DICT keys (pure): the five key types, their normal forms, and the per-account key limits.
 *
 * Normal forms (what DICT stores and what a look-up compares):
 * - CPF: 11 digits with valid check digits; CNPJ: 14 characters, the first 12 [A-Z0-9] (alphanumeric CNPJ,
 *   July 2026) and 2 numeric check digits (@baas/br-documents). Separators are dropped.
 * - PHONE: E.164 "+55" + DDD + number ("+5511912345678"); a national number gets "+55".
 * - EMAIL: lower-cased, at most 77 characters, DICT's character set.
 * - EVP: a random UUID v4, lower-case.
 *
 * A refusal is DomainError BAD_USER_INPUT with details { field, reason: 'INVALID_PIX_KEY', keyType }; the key
 * itself is never put in an error (it is personal data).
 */

export const PIX_KEY_TYPES = ['CPF', 'CNPJ', 'PHONE', 'EMAIL', 'EVP'] as const;
export type PixKeyType = (typeof PIX_KEY_TYPES)[number];
export type PixKey = { readonly type: PixKeyType; readonly value: string };
export type HolderKind = 'PERSON' | 'COMPANY';

export const MAX_EMAIL_KEY_LENGTH = 77;
/** DICT's e-mail pattern (lower-case after normalisation). */
const EMAIL_KEY = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const EVP_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CPF_SHAPE = /^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/;
const CNPJ_SHAPE = /^[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}\/?[0-9A-Za-z]{4}-?\d{2}$/;
const MAX_RAW_LENGTH = 254;

export function isPixKeyType(value: unknown): value is PixKeyType {
  return typeof value === 'string' && (PIX_KEY_TYPES as readonly string[]).includes(value);
}

export function invalidPixKey(keyType: string, field = 'key'): DomainError {
  return new DomainError('BAD_USER_INPUT', `The PIX key is not a valid ${keyType} key.`, { field, reason: 'INVALID_PIX_KEY', keyType });
}

function normalise(type: PixKeyType, raw: string): string | null {
  const trimmed = raw.trim();
  switch (type) {
    case 'CPF': {
      const value = normalizeCpf(trimmed);
      return /^\d{11}$/.test(value) && isValidCpf(value) ? value : null;
    }
    case 'CNPJ': {
      const value = normalizeCnpj(trimmed);
      return /^[0-9A-Z]{12}\d{2}$/.test(value) && isValidCnpj(value) ? value : null;
    }
    case 'PHONE': {
      const value = normalizePhoneE164(trimmed);
      return value !== null && /^\+55\d{10,11}$/.test(value) ? value : null;
    }
    case 'EMAIL': {
      const value = normalizeEmail(trimmed)?.toLowerCase();
      return value !== undefined && value.length <= MAX_EMAIL_KEY_LENGTH && EMAIL_KEY.test(value) ? value : null;
    }
    case 'EVP': {
      const value = trimmed.toLowerCase();
      return EVP_KEY.test(value) ? value : null;
    }
  }
}

/** The normal form of `raw` as a key of `type`, or a BAD_USER_INPUT refusal (reason INVALID_PIX_KEY). */
export function parsePixKey(type: PixKeyType, raw: string, field = 'key'): string {
  if (!isPixKeyType(type)) throw new DomainError('BAD_USER_INPUT', 'Unknown PIX key type.', { field: 'keyType', reason: 'INVALID_PIX_KEY_TYPE' });
  if (typeof raw !== 'string' || raw.length > MAX_RAW_LENGTH) throw invalidPixKey(type, field);
  const value = normalise(type, raw);
  if (value === null) throw invalidPixKey(type, field);
  return value;
}

/** Whether `raw` is a valid key of `type` (the same rule as parsePixKey, without the error). */
export function isValidPixKey(type: PixKeyType, raw: string): boolean {
  return isPixKeyType(type) && typeof raw === 'string' && raw.length <= MAX_RAW_LENGTH && normalise(type, raw) !== null;
}

/**
 * The key type `raw` is written as, for pay-by-key input, or null when it has none of the shapes. Shape only: the
 * check digits are parsePixKey's job. Phones must start with '+' (as DICT writes them): 11 bare digits are a CPF.
 */
export function detectPixKeyType(raw: string): PixKeyType | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (s.length === 0 || s.length > MAX_RAW_LENGTH) return null;
  if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) return 'EVP';
  if (s.includes('@')) return 'EMAIL';
  if (s.startsWith('+')) return 'PHONE';
  if (CPF_SHAPE.test(s)) return 'CPF';
  if (CNPJ_SHAPE.test(s)) return 'CNPJ';
  return null;
}

/** Detects the type and normalises: a key typed by a payer. Refuses (INVALID_PIX_KEY) what fits no type. */
export function parseAnyPixKey(raw: string, field = 'key'): PixKey {
  const type = detectPixKeyType(raw);
  if (type === null) throw invalidPixKey('PIX', field);
  return { type, value: parsePixKey(type, raw, field) };
}

/** A new random key (EVP): a lower-case UUID v4. */
export function newEvpKey(): string {
  return globalThis.crypto.randomUUID().toLowerCase();
}

/** DICT: at most 5 keys per account for a person, 20 for a company. */
export function maxKeysPerAccount(holderKind: HolderKind): number {
  if (holderKind === 'PERSON') return 5;
  if (holderKind === 'COMPANY') return 20;
  throw new DomainError('BAD_USER_INPUT', 'Unknown holder kind.', { field: 'holderKind', reason: 'INVALID_HOLDER_KIND' });
}

/** Whether an account that holds `count` keys may register one more. */
export function canRegisterAnotherKey(count: number, holderKind: HolderKind): boolean {
  if (!Number.isSafeInteger(count) || count < 0) throw new DomainError('BAD_USER_INPUT', 'A key count is a non-negative integer.', { field: 'count', reason: 'INVALID_COUNT' });
  return count < maxKeysPerAccount(holderKind);
}

/**
 * The refusal when the account is full: LIMIT_EXCEEDED with details.reason PIX_KEY_LIMIT_REACHED and the limit.
 * Returns null when another key fits.
 */
export function keyLimitRefusal(count: number, holderKind: HolderKind): DomainError | null {
  if (canRegisterAnotherKey(count, holderKind)) return null;
  return new DomainError('LIMIT_EXCEEDED', 'This account already has the most PIX keys it may hold.', { reason: 'PIX_KEY_LIMIT_REACHED', limit: maxKeysPerAccount(holderKind) });
}
