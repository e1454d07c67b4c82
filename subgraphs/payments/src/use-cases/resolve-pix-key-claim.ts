import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { claimTransition, dueClaimOutcome, mayCancelClaimAs } from '../domain/pix-claims';
import { mayOperateAccount } from '../permissions';
import type { PixKeyClaimRow } from '../store/pix-key-store';
import { requireUuid, type PixKeyDeps } from './register-pix-key';

type ClaimDeps = Pick<PixKeyDeps, 'keys' | 'now'>;

const donorOf = (c: PixKeyClaimRow) => ({ tenantId: c.donorTenantId, customerId: c.donorCustomerId });
const holderKindFor = async (deps: ClaimDeps, c: PixKeyClaimRow) => (c.keyType === 'CNPJ' ? 'COMPANY' : deps.keys.holderKindOf(c.accountId));

async function load(deps: ClaimDeps, id: string): Promise<PixKeyClaimRow | null> {
  return (await deps.keys.findClaimsByIds([requireUuid(id, 'id')]))[0] ?? null;
}

/** The claim as it is now, after a resolution that found it no longer OPEN (a concurrent one): judged again. */
async function settled(deps: ClaimDeps, id: string, to: 'COMPLETED' | 'CANCELLED'): Promise<PixKeyClaimRow> {
  const current = (await load(deps, id))!;
  claimTransition(current.status, to);
  return current;
}

/**
 * The donor (whoever may operate the account holding the key) releases it: the key moves at once
 * (the donor's key DELETED, a new ACTIVE key on the claimer's account, the claim COMPLETED). Anyone
 * else is FORBIDDEN; a completed claim answers as it is; a cancelled one is CONFLICT.
 */
export async function confirmPixKeyClaim(deps: ClaimDeps, who: Identity, input: { id: string }): Promise<PixKeyClaimRow> {
  const claim = await load(deps, input.id);
  if (!claim || !mayOperateAccount(who, donorOf(claim))) throw forbidden();
  if (claimTransition(claim.status, 'COMPLETED') === 'SAME') return claim;
  const done = await deps.keys.completeClaim(claim.id, deps.now?.() ?? new Date(), await holderKindFor(deps, claim), 'DONOR_CONFIRMED');
  return done ?? settled(deps, claim.id, 'COMPLETED');
}

/**
 * Cancels an open claim: the claimer gives up, or (PORTABILITY only) the donor keeps its key. The
 * donor of an ownership claim, and anyone else, is FORBIDDEN. A cancelled claim answers as it is; a
 * completed one is CONFLICT.
 */
export async function cancelPixKeyClaim(deps: ClaimDeps, who: Identity, input: { id: string }): Promise<PixKeyClaimRow> {
  const claim = await load(deps, input.id);
  if (!claim) throw forbidden();
  const role = mayOperateAccount(who, claim) ? 'CLAIMER' : mayOperateAccount(who, donorOf(claim)) ? 'DONOR' : null;
  if (!role || !mayCancelClaimAs(role, claim.claimType)) throw forbidden();
  if (claimTransition(claim.status, 'CANCELLED') === 'SAME') return claim;
  const done = await deps.keys.cancelClaim(claim.id, deps.now?.() ?? new Date(), role);
  return done ?? settled(deps, claim.id, 'CANCELLED');
}

/**
 * The claim timer's step: every OPEN claim past its resolveBy at `now` is resolved by
 * domain/pix-claims dueClaimOutcome (OWNERSHIP completes for the claimer, PORTABILITY is
 * cancelled), in batches of `batch` until none is due (at most `maxBatches`). A claim resolved
 * meanwhile by its donor or claimer is skipped; one whose move fails is reported in `failed` and
 * the others go on. Returns how many moved.
 */
export async function completeDueClaims(deps: ClaimDeps, now: Date, opts: { batch?: number; maxBatches?: number } = {}): Promise<{ completed: number; cancelled: number; failed: { claimId: string; error: unknown }[] }> {
  const batch = opts.batch ?? 100;
  const totals = { completed: 0, cancelled: 0, failed: [] as { claimId: string; error: unknown }[] };
  for (let round = 0; round < (opts.maxBatches ?? 10); round++) {
    const due = await deps.keys.listDueClaims(now, batch);
    for (const claim of due) {
      const outcome = dueClaimOutcome(claim, now);
      try {
        if (outcome === 'COMPLETE' && (await deps.keys.completeClaim(claim.id, now, await holderKindFor(deps, claim), 'RESOLUTION_PERIOD_ENDED'))) totals.completed++;
        if (outcome === 'CANCEL' && (await deps.keys.cancelClaim(claim.id, now, 'RESOLUTION_PERIOD_ENDED'))) totals.cancelled++;
      } catch (error) {
        // One claim that cannot move (reported to the caller) does not hold up the others.
        totals.failed.push({ claimId: claim.id, error });
      }
    }
    if (due.length < batch) break;
  }
  return totals;
}
