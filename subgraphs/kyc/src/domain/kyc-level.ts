/**
 * A customer's KYC standing (pure): the level other services read (accounts: limits) and the status
 * of their latest application. Levels only rise: 0 nothing verified, 1 identity verified (an
 * application APPROVED: a document, a matching live selfie, screening clear).
 */
import type { ApplicationState } from './application-states';

export const KYC_LEVEL_NONE = 0;
export const KYC_LEVEL_VERIFIED = 1;

export type CustomerKycStatus = 'NONE' | 'IN_PROGRESS' | 'NEEDS_DOCUMENTS' | 'APPROVED' | 'DENIED';

/** The customer status an application's state gives. */
export function customerStatusOf(state: ApplicationState): CustomerKycStatus {
  switch (state) {
    case 'APPROVED':
      return 'APPROVED';
    case 'DENIED':
      return 'DENIED';
    case 'NEEDS_DOCUMENTS':
      return 'NEEDS_DOCUMENTS';
    default:
      return 'IN_PROGRESS';
  }
}

/** The level after an application reaches `state`: raised to VERIFIED by an approval, never lowered. */
export function levelAfter(current: number, state: ApplicationState): number {
  return state === 'APPROVED' ? Math.max(current, KYC_LEVEL_VERIFIED) : current;
}

/** Reason codes an operator may give with a decision: upper snake case, 3 to 40 characters. */
export const REASON_CODE = /^[A-Z][A-Z0-9_]{2,39}$/;

/** Processing retries: the delay before attempt `attempt` + 1 (seconds), doubling from 5 s up to 10 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(600, 5 * 2 ** Math.max(0, attempt - 1));
}
