import { DomainError } from '@baas/errors';
import type { SendRequest } from '../store/send-counter-store';
import type { IdentityDeps } from './deps';

/** The quotas of code sends (IdentityConfig: OTP_SENDS_PER_WINDOW, OTP_SENDS_PER_ADDRESS_PER_WINDOW, OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW). */
export type SendQuotas = {
  /** Requests per (tenant, destination, caller address): past it this caller is RATE_LIMITED. */
  perDestinationAndAddress: number;
  /** Requests per caller address, whatever the destination: past it this caller is RATE_LIMITED. */
  perAddress: number;
  /** Requests per (tenant, destination), whoever asks: past it nothing more is sent (HOLD), nobody is refused. */
  perDestination: number;
  windowSeconds: number;
};

/** SEND: write a new code. HOLD: the destination had enough codes this window; send nothing (the last code stays usable). */
export type SendDecision = 'SEND' | 'HOLD';

const rateLimited = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many sign-in codes were asked for from here; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/**
 * The rule for sending one-time codes, built so that nobody but the caller pays for the caller's
 * requests (issue 10 item 9: five anonymous calls used to lock an e-mail's owner out):
 *
 * - per (tenant, destination, caller address) and per caller address: RATE_LIMITED for that caller
 *   only (details.retryAfterSeconds); a stranger exhausts their own quota, never the owner's;
 * - per (tenant, destination), whoever asks: past the cap the answer is HOLD, never a refusal: the
 *   caller gets a challenge like any other, but no new code is sent (this stops mail bombing), and
 *   that challenge accepts the last code the destination received (startSignIn links them);
 * - the same whether or not a customer has the destination (no enumeration).
 *
 * When Redis fails it neither lets everything through nor refuses every sign-in: it counts the
 * challenges stored over the last window in PostgreSQL instead (a sliding window).
 */
export async function limitSends(deps: Pick<IdentityDeps, 'sendCounters' | 'stores' | 'logger'>, quotas: SendQuotas, request: SendRequest): Promise<SendDecision> {
  const windowMs = quotas.windowSeconds * 1000;
  let counted;
  try {
    counted = await deps.sendCounters.count(request, windowMs, quotas);
  } catch (error) {
    deps.logger?.warn({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'sign-in rate limit: Redis failed; counting in PostgreSQL');
    return limitSendsFromDatabase(deps, quotas, request);
  }
  const retry = (ttl: number) => Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000));
  if (counted.mine > quotas.perDestinationAndAddress) throw rateLimited(retry(counted.mineTtl));
  if (counted.fromAddress > quotas.perAddress) throw rateLimited(retry(counted.addressTtl));
  return counted.toDestination > quotas.perDestination ? 'HOLD' : 'SEND';
}

async function limitSendsFromDatabase(deps: Pick<IdentityDeps, 'stores'>, quotas: SendQuotas, r: SendRequest): Promise<SendDecision> {
  const windowMs = quotas.windowSeconds * 1000;
  const now = Date.now();
  const since = new Date(now - windowMs);
  const refuseIfFull = async (where: { tenantId?: string; destinationIndex?: string; requesterIndex?: string }, max: number) => {
    const recent = await deps.stores.challenges.recentCreatedAt(where, since, max);
    if (recent.length < max) return;
    // The window frees a slot when the oldest of the last `max` requests leaves it.
    throw rateLimited(Math.max(1, Math.ceil((recent[recent.length - 1]!.getTime() + windowMs - now) / 1000)));
  };
  await refuseIfFull({ tenantId: r.tenantId, destinationIndex: r.destinationIndex, requesterIndex: r.requesterIndex }, quotas.perDestinationAndAddress);
  await refuseIfFull({ requesterIndex: r.requesterIndex }, quotas.perAddress);
  const toDestination = await deps.stores.challenges.countToDestination(r.tenantId, r.destinationIndex, since);
  return toDestination >= quotas.perDestination ? 'HOLD' : 'SEND';
}
