import { badInput } from '@baas/errors';

/**
 * A tenant's risk settings: the score thresholds (basis points of P(fraud)) and its hard rules.
 * Pure: stores keep it, the decision reads it. What a caller does when risk cannot answer (fail
 * open or closed) is not here: the caller must know it while risk is down, so it lives with the
 * caller's tenant settings (accounts: riskFailMode, docs/accounts.md).
 */

export type TenantRiskSettings = {
  tenantId: string;
  /** A score at or above this asks for a step-up (REVIEW). */
  reviewAtBps: number;
  /** A score at or above this is BLOCK. */
  blockAtBps: number;
  rules: {
    /** Per ISO 4217 currency: a movement above this many minor units is BLOCK; null or absent: no limit. */
    blockAboveAmount: Readonly<Record<string, bigint | null>>;
    /** Paying an account whose holder is a confirmed fraudster is BLOCK (the payer being one always is). */
    blockConfirmedFraud: boolean;
  };
  /** When these settings were last changed; null for the defaults. */
  updatedAt: Date | null;
};

export const DEFAULT_REVIEW_AT_BPS = 5000;
export const DEFAULT_BLOCK_AT_BPS = 9000;

export function defaultRiskSettings(tenantId: string): TenantRiskSettings {
  return {
    tenantId,
    reviewAtBps: DEFAULT_REVIEW_AT_BPS,
    blockAtBps: DEFAULT_BLOCK_AT_BPS,
    rules: { blockAboveAmount: {}, blockConfirmedFraud: true },
    updatedAt: null,
  };
}

export type RiskSettingsPatch = {
  reviewAtBps?: number;
  blockAtBps?: number;
  blockAboveAmount?: Readonly<Record<string, bigint | null>>;
  blockConfirmedFraud?: boolean;
};

const CURRENCY = /^[A-Z]{3}$/;

/** The settings after a patch, checked: 1 <= reviewAtBps <= blockAtBps <= 10000, limits positive, ISO currencies. */
export function applyRiskSettingsPatch(current: TenantRiskSettings, patch: RiskSettingsPatch, at: Date): TenantRiskSettings {
  const next: TenantRiskSettings = {
    tenantId: current.tenantId,
    reviewAtBps: patch.reviewAtBps ?? current.reviewAtBps,
    blockAtBps: patch.blockAtBps ?? current.blockAtBps,
    rules: {
      blockAboveAmount: { ...current.rules.blockAboveAmount, ...(patch.blockAboveAmount ?? {}) },
      blockConfirmedFraud: patch.blockConfirmedFraud ?? current.rules.blockConfirmedFraud,
    },
    updatedAt: at,
  };
  validateRiskSettings(next);
  return next;
}

export function validateRiskSettings(s: TenantRiskSettings): void {
  const { reviewAtBps: review, blockAtBps: block } = s;
  if (!Number.isInteger(review) || review < 1 || review > 10_000) throw badInput('reviewAtBps must be an integer from 1 to 10000.', { field: 'reviewAtBps' });
  if (!Number.isInteger(block) || block < review || block > 10_000) throw badInput('blockAtBps must be an integer from reviewAtBps to 10000.', { field: 'blockAtBps' });
  for (const [currency, limit] of Object.entries(s.rules.blockAboveAmount)) {
    if (!CURRENCY.test(currency)) throw badInput('blockAboveAmount is keyed by ISO 4217 currency codes.', { field: 'blockAboveAmount' });
    if (limit !== null && (typeof limit !== 'bigint' || limit < 0n)) throw badInput('blockAboveAmount limits are non-negative minor units.', { field: 'blockAboveAmount', currency });
  }
}

/** The limits as decimal strings (how stores keep money), and back. */
export function limitsToStrings(limits: Readonly<Record<string, bigint | null>>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(limits).map(([c, v]) => [c, v === null ? null : v.toString()]));
}

export function limitsFromStrings(stored: Readonly<Record<string, string | null>>): Record<string, bigint | null> {
  return Object.fromEntries(Object.entries(stored).map(([c, v]) => [c, v === null ? null : BigInt(v)]));
}
