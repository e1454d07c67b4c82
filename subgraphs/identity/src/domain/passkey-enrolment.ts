import { DomainError } from '@baas/errors';

/**
 * Who may register a passkey, and how (issue 10 item 6: a phished one-time code must never become a
 * passkey). Pure: the facts are read by the use case, the decision is made here.
 *
 * - STEP_UP: the customer has a passkey and confirmed with it recently (ADD_PASSKEY, the tenant's
 *   rule or the platform default): a second passkey from a device the owner holds.
 * - RECOVERY: a recovery the customer asked for has waited out its delay (notified to their
 *   verified channels, cancellable, cancelled by any passkey use): the owner lost every passkey.
 * - FIRST_PASSKEY: the customer never had a passkey at all and was created at most
 *   `firstPasskeyWindowSeconds` ago: enrolment right after sign-up. Later, a customer without any
 *   passkey goes through recovery: after the window a code session alone proves too little.
 * - Otherwise refused: STEP_UP_REQUIRED when a passkey exists (confirm with it), else
 *   PASSKEY_RECOVERY_REQUIRED.
 */
export type EnrolmentFacts = {
  activePasskeys: number;
  /** Whether the customer ever registered a passkey (removed ones count). */
  everHadPasskey: boolean;
  customerCreatedAt: Date;
  /** A recovery past its delay, not cancelled and not used, if any. */
  effectiveRecoveryId: string | null;
  /** A recent enough passkey confirmation in this session (for ADD_PASSKEY). */
  stepUpFresh: boolean;
  now: Date;
  firstPasskeyWindowSeconds: number;
};

export type EnrolmentRoute = { kind: 'STEP_UP' } | { kind: 'RECOVERY'; recoveryId: string } | { kind: 'FIRST_PASSKEY' };
export type EnrolmentRefusal = { refused: 'STEP_UP_REQUIRED' | 'PASSKEY_RECOVERY_REQUIRED' };

export function enrolmentRoute(f: EnrolmentFacts): EnrolmentRoute | EnrolmentRefusal {
  if (f.activePasskeys > 0 && f.stepUpFresh) return { kind: 'STEP_UP' };
  if (f.effectiveRecoveryId) return { kind: 'RECOVERY', recoveryId: f.effectiveRecoveryId };
  const age = (f.now.getTime() - f.customerCreatedAt.getTime()) / 1000;
  if (!f.everHadPasskey && f.activePasskeys === 0 && age >= 0 && age <= f.firstPasskeyWindowSeconds) return { kind: 'FIRST_PASSKEY' };
  return { refused: f.activePasskeys > 0 ? 'STEP_UP_REQUIRED' : 'PASSKEY_RECOVERY_REQUIRED' };
}

/** FORBIDDEN, reason PASSKEY_RECOVERY_REQUIRED: the customer has no passkey and the first-passkey window is over. */
export const recoveryRequired = () =>
  new DomainError('FORBIDDEN', 'This customer has no passkey: ask for a passkey recovery (requestPasskeyRecovery) and register once it takes effect.', {
    reason: 'PASSKEY_RECOVERY_REQUIRED',
  });
