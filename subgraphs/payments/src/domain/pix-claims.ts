import { DomainError } from '@baas/errors';
import type { PixKeyType } from './pix-keys';

/**
 * DICT claims (pure): an OWNERSHIP claim (someone else registered my phone or e-mail) or a
 * PORTABILITY claim (move my key from another account or institution) on a key held by another
 * account. The donor confirms (the key moves at once) or, for portability only, keeps it; the
 * claimer may give up. When nobody acts by `resolveBy`, an ownership claim completes in favour of
 * the claimer (the donor did not prove possession) and a portability claim is cancelled (the donor
 * did not confirm).
 */

export const CLAIM_TYPES = ['OWNERSHIP', 'PORTABILITY'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];
export const CLAIM_STATUSES = ['OPEN', 'CONFIRMED', 'CANCELLED', 'COMPLETED'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
/** What the timer does with a claim whose resolution period ended. */
export type DueClaimOutcome = 'COMPLETE' | 'CANCEL';
/** Who acts on a claim: the claimer (its account) or the donor (the account holding the key). */
export type ClaimRole = 'CLAIMER' | 'DONOR';

/** The claim type as given, or BAD_USER_INPUT (field claimType, reason INVALID_CLAIM_TYPE). */
export function parseClaimType(raw: string): ClaimType {
  const value = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if ((CLAIM_TYPES as readonly string[]).includes(value)) return value as ClaimType;
  throw new DomainError('BAD_USER_INPUT', 'claimType is OWNERSHIP or PORTABILITY.', { field: 'claimType', reason: 'INVALID_CLAIM_TYPE' });
}

/** Whether a claim of this type may be opened on a key of this type: ownership for phone and e-mail keys, portability for every type but EVP. */
export function claimAllowed(claimType: ClaimType, keyType: PixKeyType): boolean {
  if (claimType === 'OWNERSHIP') return keyType === 'PHONE' || keyType === 'EMAIL';
  return keyType !== 'EVP';
}

/** BAD_USER_INPUT (field claimType, reason CLAIM_NOT_ALLOWED_FOR_KEY_TYPE) when claimAllowed says no; null otherwise. */
export function claimTypeRefusal(claimType: ClaimType, keyType: PixKeyType): DomainError | null {
  if (claimAllowed(claimType, keyType)) return null;
  return new DomainError('BAD_USER_INPUT', `A ${claimType} claim cannot be opened on a ${keyType} key.`, { field: 'claimType', reason: 'CLAIM_NOT_ALLOWED_FOR_KEY_TYPE', keyType });
}

/** Whether a key of this type held elsewhere can be claimed at all (told to a second registrant): phone, e-mail, CPF, CNPJ. */
export function isClaimableKeyType(keyType: PixKeyType): boolean {
  return keyType !== 'EVP';
}

/** When a claim opened at `openedAt` resolves by itself: `resolutionSeconds` later (DICT: 7 days). */
export function claimResolveBy(openedAt: Date, resolutionSeconds: number): Date {
  if (!Number.isSafeInteger(resolutionSeconds) || resolutionSeconds < 1) throw new RangeError('claim resolution must be a positive whole number of seconds');
  return new Date(openedAt.getTime() + resolutionSeconds * 1000);
}

/**
 * What the timer does with a claim at `now`: an OPEN claim past its resolveBy completes (OWNERSHIP)
 * or is cancelled (PORTABILITY); anything else (not due, or no longer open) is left alone (null).
 */
export function dueClaimOutcome(claim: { claimType: string; status: string; resolveBy: Date }, now: Date): DueClaimOutcome | null {
  if (claim.status !== 'OPEN' || claim.resolveBy.getTime() > now.getTime()) return null;
  return claim.claimType === 'OWNERSHIP' ? 'COMPLETE' : 'CANCEL';
}

/** Whether `role` may cancel a claim of `claimType`: the claimer always; the donor only a portability claim (it keeps its key). */
export function mayCancelClaimAs(role: ClaimRole, claimType: string): boolean {
  return role === 'CLAIMER' || claimType === 'PORTABILITY';
}

/**
 * The move `to` (COMPLETED or CANCELLED) from `from`: allowed from OPEN; a repeat of the same end
 * (already there) is `'SAME'` (answer the claim as it is); any other is CONFLICT
 * (INVALID_STATE_TRANSITION).
 */
export function claimTransition(from: string, to: 'COMPLETED' | 'CANCELLED'): 'MOVE' | 'SAME' {
  if (from === 'OPEN') return 'MOVE';
  if (from === to) return 'SAME';
  throw new DomainError('CONFLICT', `The claim is ${from}: it cannot become ${to}.`, { reason: 'INVALID_STATE_TRANSITION', from, to });
}
