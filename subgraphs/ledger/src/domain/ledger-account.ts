import { createHash } from 'node:crypto';
import { canonicalize } from '@baas/ledger-proofs';
import { requestFingerprint } from '@baas/idempotency';
import { isCurrencyCode } from '@baas/money';
import { ACCOUNT_FLAGS } from './types';

export type CreateAccountRequest = {
  id: string;
  tenantId: string | null;
  customerId: string | null;
  currency: string;
  code: number;
  flags: number;
  metadata?: Record<string, unknown>;
};

export type CreateAccountError = 'IDEMPOTENCY_KEY_REUSED' | 'INVALID_CURRENCY' | 'INVALID_FLAGS';

export type CreateAccountResult = { id: string; status: 'CREATED' | 'REPLAYED' } | { id: string; status: 'FAILED'; error: CreateAccountError };

const VALID_FLAGS = new Set([0, ACCOUNT_FLAGS.DEBITS_MUST_NOT_EXCEED_CREDITS, ACCOUNT_FLAGS.CREDITS_MUST_NOT_EXCEED_DEBITS]);

/** Why an account request is refused before anything is written (null: it may be created). */
export function accountRequestError(r: CreateAccountRequest): 'INVALID_CURRENCY' | 'INVALID_FLAGS' | null {
  if (!isCurrencyCode(r.currency)) return 'INVALID_CURRENCY';
  if (!VALID_FLAGS.has(r.flags)) return 'INVALID_FLAGS';
  return null;
}

const normalised = (r: CreateAccountRequest) => {
  const { id: _id, ...rest } = r;
  return { ...rest, metadata: rest.metadata ?? null };
};

/** The creation request's fingerprint (@baas/idempotency, operation `ledger.account/v1`); the id is the key. */
export function accountFingerprint(r: CreateAccountRequest): string {
  return requestFingerprint('ledger.account/v1', normalised(r));
}

/** The request hash accounts stored before @baas/idempotency carry: accepted on replay only, never written. */
export function legacyAccountRequestHash(r: CreateAccountRequest): string {
  return createHash('sha256').update(canonicalize(normalised(r) as never)).digest('hex');
}
