import { DomainError } from '@baas/errors';

/**
 * A tenant's KYC requirement for opening accounts (accounts.tenant_settings.require_kyc_level): the
 * minimum KYC level (kyc's levels: 0 nothing verified, 1 identity verified) a customer must hold
 * before an account opens for them. 0 = not required (the default).
 */
export const NO_KYC_REQUIRED = 0;
/** The highest level a tenant may require (the column's CHECK says the same). */
export const MAX_REQUIRED_KYC_LEVEL = 9;

/** A stored requirement; anything that is not a level in range reads as not required. */
export function parseRequiredKycLevel(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_REQUIRED_KYC_LEVEL ? value : NO_KYC_REQUIRED;
}

/** Whether a requirement applies at all (only then is kyc asked). */
export const kycRequired = (required: number): boolean => required > NO_KYC_REQUIRED;

/**
 * The gate: a customer below the tenant's required level may not have an account opened for them.
 * FORBIDDEN with `reason: KYC_REQUIRED` (as accounts refuses other preconditions of the caller's
 * tenant: TENANT_NOT_SANDBOX, ...), with the required level and the customer's; nothing of the
 * customer's identity.
 */
export function assertKycLevel(required: number, level: number): void {
  if (!kycRequired(required) || level >= required) return;
  throw new DomainError('FORBIDDEN', 'The tenant requires a verified identity (KYC) before an account opens.', { reason: 'KYC_REQUIRED', requiredLevel: required, level });
}
