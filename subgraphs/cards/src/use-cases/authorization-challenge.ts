import { challengeRequired } from '../domain/three-ds';
import type { CardSettingsRow } from '../store/card-lookup-store';
import type { ChallengeStore } from '../store/challenge-store';

/** What the authorisation path needs of 3-D Secure: the challenge store (absent: no challenge is ever found). */
export type ChallengeAuthDeps = { readonly challenges?: Pick<ChallengeStore, 'use' | 'release'> };

/**
 * The tenant's requireThreeDsAbove (minor units; null: never required). Read structurally so the
 * authorisation path works before and after the settings row carries it.
 */
export function threeDsThreshold(settings: CardSettingsRow | null): bigint | null {
  const value = (settings as { requireThreeDsAbove?: bigint | null } | null)?.requireThreeDsAbove;
  return typeof value === 'bigint' ? value : null;
}

/**
 * 3-D Secure on a new authorisation: a challenge named in DE48 is spent on it (VERIFIED, same card,
 * amount not above the challenge's, not used by another authorisation). `ok` is false when the tenant's
 * threshold asks this ONLINE amount for a challenge and none was spent (declined 1A); `used` is the
 * challenge spent, to give back should the authorisation be declined for another reason.
 */
export async function spendChallenge(
  deps: ChallengeAuthDeps,
  a: { threshold: bigint | null; channel: string; amount: bigint; cardId: string; authorizationId: string; challengeId?: string | undefined },
): Promise<{ ok: boolean; used: string | null }> {
  const required = challengeRequired(a.threshold, a.channel, a.amount);
  const spent = !!a.challengeId && !!deps.challenges && (await deps.challenges.use(a.challengeId, a.cardId, a.amount, a.authorizationId));
  const used = spent ? a.challengeId! : null;
  return { ok: !required || spent, used };
}
