import type { Identity } from '@baas/auth';

/** One entry of a tenant's step-up policy: how fresh the last passkey assertion must be for an action. */
export type StepUpRule = {
  /** The last passkey assertion (`stepUpAt`) must be at most this many seconds old. */
  readonly maxAgeSeconds: number;
  /** Amounts (minor units, integer string) strictly below this need no step-up. Absent: always required. */
  readonly minAmountMinor?: string;
};

/** The tenant's step-up policy, carried in the token: action name → rule. An action not listed needs no step-up. */
export type StepUpPolicy = Readonly<Record<string, StepUpRule>>;

/**
 * The identity the rules read. Everything beyond @baas/auth's Identity is optional, so a plain Identity
 * fits; the step-up fields are filled by whoever builds the identity from the token.
 */
export type AuthzIdentity = Identity & {
  /** When the session was authenticated (epoch seconds). */
  readonly authTime?: number;
  /** When the last passkey assertion (step-up) happened (epoch seconds). */
  readonly stepUpAt?: number;
  readonly stepUpPolicy?: StepUpPolicy;
};

/** The part of a subgraph's resolver context the rules need (SubgraphContext from @baas/server fits). */
export type AuthzContext = {
  identity: AuthzIdentity | null;
};

/** An owner as @baas/auth's canAccess understands it. */
export type Owner = { tenantId: string; customerId?: string };
