import { authorizeOutflow } from '@baas/policy';
import { derivedUuid } from '@baas/server';
import { responseCodeFor, type DeclineReason } from '../domain/decline-codes';
import type { NetworkMessage } from '../domain/iso8583';
import { approvalCodeFor, holdExpiry, holdSeconds, merchantCountry, merchantName } from '../domain/network-fields';
import { checkSpend, type Channel, type SpendUsage } from '../domain/spend-controls';
import { effectiveCardControls } from './authorization-controls';
import type { AuthorizationRow, NewAuthorization } from '../store/authorization-store';
import type { AuthorizingCard } from '../store/card-lookup-store';
import { askTenant } from './authorization-decision';
import { spendChallenge, threeDsThreshold, type ChallengeAuthDeps } from './authorization-challenge';
import { cardEvent, DEFAULT_HOLD_DAYS, holdPiece, voidPieces, type NetworkDeps } from './network-message-deps';

/** The outcome of an authorisation: the DE39 code and, when approved, the DE38 approval code. */
export type AuthorizationOutcome = {
  readonly code: string;
  readonly approvalCode?: string;
  readonly authorizationId?: string;
  /** The authorisation as this message left it, when the path already holds it (saves the caller a read). */
  readonly authorization?: AuthorizationRow;
};

const WAIT_FOR_DUPLICATE_MS = 10_000;
const NO_USAGE: SpendUsage = { day: 0n, month: 0n, lifetime: 0n };

/** A repeat of an authorisation still being decided waits for the first to finish, then answers what it answered. */
export async function storedAuthorizationOutcome(deps: NetworkDeps, row: AuthorizationRow): Promise<AuthorizationOutcome> {
  let current: AuthorizationRow | null = row;
  const deadline = Date.now() + WAIT_FOR_DUPLICATE_MS;
  while (current && current.state === 'PENDING' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    current = await deps.authorizations.byId(row.id);
  }
  if (!current || current.state === 'PENDING') return { code: responseCodeFor('SYSTEM_ERROR') };
  return { code: current.responseCode, ...(current.approvalCode ? { approvalCode: current.approvalCode } : {}), authorizationId: current.id };
}

/**
 * A new authorisation (0100), after the card's own checks passed (precheckAuthorization). In order: the
 * spend controls against Redis velocity (checked, then reserved atomically under the authorisation's id),
 * the ledger hold (customer -> settlement, pending, timing out after the hold days: the ledger refusing for
 * funds is 51), the risk score through the shared policy path (asked for beside the hold, judged after it;
 * BLOCK is 59; risk unavailable: the tenant's fail mode), then the tenant's decision webhook with its deadline and stand-in rule. A decline after the
 * hold voids it and releases the reservation. The authorisation is claimed by (card, RRN) before anything
 * else: a repeat waits for the first and answers the stored response, moving nothing. First of all, 3-D
 * Secure: the verified challenge named in DE48 is spent on it; an ONLINE amount above the tenant's
 * requireThreeDsAbove without one declines 1A (a challenge spent on a declined authorisation is given back).
 */
export async function authorizeCardPayment(deps: NetworkDeps & ChallengeAuthDeps, card: AuthorizingCard, message: NetworkMessage): Promise<AuthorizationOutcome> {
  const now = deps.now?.() ?? new Date();
  const amount = message.amount!;
  const id = derivedUuid(`cards:auth:${card.id}:${message.rrn}`);
  const claim: NewAuthorization = {
    id, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, rrn: message.rrn!, stan: message.stan, kind: message.transactionType === 'CASH_WITHDRAWAL' ? 'CASH_WITHDRAWAL' : 'PURCHASE',
    amount, currency: card.currency, mcc: message.mcc!, merchant: merchantName(message.merchantNameLocation), country: merchantCountry(message.merchantNameLocation), channel: message.channel ?? 'ONLINE',
  };
  const [claimed, settings] = await Promise.all([deps.authorizations.claim(claim), deps.cards.settings(card.tenantId)]);
  if (!claimed) throw new Error('authorisation already claimed');
  const holdDays = deps.holdDays ?? DEFAULT_HOLD_DAYS;
  let reserved = false;
  let held = false;
  // The policy port answers a decision and reasons, not the score: the assessment stays with risk (its id is the authorisation id).
  const riskScoreBps: number | null = null;
  let decidedBy: string | null = null;
  let challengeUsed: string | null = null;
  const decline = async (reason: DeclineReason): Promise<AuthorizationOutcome> => {
    if (held) {
      // A hold whose placement failed half-way may still exist: voided (gone counts as voided); if the ledger
      // cannot be reached its own timeout releases it.
      await voidPieces(deps, id, [1]).catch((error: unknown) =>
        deps.logger?.warn({ authorizationId: id, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'could not void a declined card hold: the ledger timeout releases it'),
      );
    }
    if (reserved) await deps.velocity.release(card.id, id);
    if (challengeUsed) await deps.challenges?.release(challengeUsed, id);
    const code = responseCodeFor(reason);
    const row = await deps.authorizations.decide(id, { state: 'DECLINED', responseCode: code, declineReason: reason, approvalCode: null, riskScoreBps, decidedBy, holds: 0, expiresAt: null }, [
      cardEvent('cards.authorization.declined', id, card, { authorizationId: id, amount, currency: card.currency, mcc: claim.mcc, merchant: claim.merchant, responseCode: code, declineReason: reason }),
    ]);
    return { code, authorizationId: id, ...(row ? { authorization: row } : {}) };
  };
  try {
    const threeDs = await spendChallenge(deps, { threshold: threeDsThreshold(settings), channel: claim.channel, amount, cardId: card.id, authorizationId: id, challengeId: message.challengeId });
    challengeUsed = threeDs.used;
    if (!threeDs.ok) return await decline('AUTHENTICATION_REQUIRED');
    const controls = effectiveCardControls(settings, card);
    // The controls that need no history here; the day, month and lifetime sums are checked once, inside
    // the reservation script that also reserves (atomically: no read of the usage before it).
    const spend = checkSpend(controls, { amount, mcc: claim.mcc, country: claim.country, channel: claim.channel as Channel }, NO_USAGE);
    if (!spend.ok) return await decline(spend.decline);
    const reservation = await deps.velocity.reserve(card.id, id, amount, now, controls);
    if (!reservation.ok) return await decline('EXCEEDS_AMOUNT_LIMIT');
    reserved = true;
    // The hold and the risk score are asked for side by side (the two slowest calls); the decision still
    // takes them in order: a hold the ledger refuses declines 51 whatever risk said, then risk's BLOCK 59.
    const outflow = { rail: 'CARD', id, tenantId: card.tenantId, customerId: card.customerId, accountId: card.accountId, amount, currency: card.currency, createdAt: now, payerLedgerAccountId: card.ledgerAccountId };
    const policyCall = authorizeOutflow({ limits: { check: async () => ({ ok: true }), reserve: async () => ({ ok: true }) }, risk: deps.risk }, outflow, { reserved: true });
    policyCall.catch(() => undefined); // awaited below unless the hold is refused; never an unhandled rejection
    held = true; // from the moment it is asked for: a call that fails may still have placed it
    const refusal = await holdPiece(deps, card, id, 1, amount, holdSeconds(holdDays));
    if (refusal !== null) {
      held = false;
      return await decline(refusal === 'INSUFFICIENT_FUNDS' ? 'INSUFFICIENT_FUNDS' : 'DO_NOT_HONOUR');
    }
    const policy = await policyCall;
    if (!policy.approved) return await decline('SUSPECTED_FRAUD');
    const tenant = await askTenant(deps, settings, card, claim, id);
    decidedBy = tenant.decidedBy;
    if (tenant.decision === 'DECLINE') return await decline('DO_NOT_HONOUR');
  } catch (error) {
    deps.logger?.error({ authorizationId: id, cardId: card.id, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'card authorisation failed: declined as issuer unavailable');
    try {
      return await decline('ISSUER_UNAVAILABLE');
    } catch {
      return { code: responseCodeFor('ISSUER_UNAVAILABLE'), authorizationId: id };
    }
  }
  const approvalCode = approvalCodeFor(id);
  const code = responseCodeFor('APPROVED');
  const decided = await deps.authorizations.decide(id, { state: 'APPROVED', responseCode: code, declineReason: null, approvalCode, riskScoreBps, decidedBy, holds: 1, expiresAt: holdExpiry(now, holdDays) }, [
    cardEvent('cards.authorization.approved', id, card, { authorizationId: id, amount, currency: card.currency, mcc: claim.mcc, merchant: claim.merchant, responseCode: code, decidedBy }),
  ]);
  // Recovery declined this claim meanwhile (it took too long) and voided its hold: its answer stands.
  if (!decided) return storedAuthorizationOutcome(deps, (await deps.authorizations.byId(id))!);
  return { code, approvalCode, authorizationId: id, authorization: decided };
}

/**
 * An authorisation advice (0120): the network stood in and decided (its DE39). An approval is recorded
 * APPROVED (decided by NETWORK_STAND_IN) with a hold when the ledger can place one (none when the funds are
 * not there: the network already approved, the clearing will post it); a decline is recorded DECLINED.
 * Answered '00' (advice received). A repeat changes nothing.
 */
export async function recordAuthorizationAdvice(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage): Promise<AuthorizationOutcome> {
  const now = deps.now?.() ?? new Date();
  const amount = message.amount!;
  const id = derivedUuid(`cards:auth:${card.id}:${message.rrn}`);
  const approved = message.responseCode === '00' || message.responseCode === '10' || message.responseCode === '85';
  const claim: NewAuthorization = {
    id, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, rrn: message.rrn!, stan: message.stan, kind: message.transactionType === 'CASH_WITHDRAWAL' ? 'CASH_WITHDRAWAL' : 'PURCHASE',
    amount, currency: card.currency, mcc: message.mcc!, merchant: merchantName(message.merchantNameLocation), country: merchantCountry(message.merchantNameLocation), channel: message.channel ?? 'ONLINE',
  };
  if (!(await deps.authorizations.claim(claim))) return { code: '00', authorizationId: id };
  const holdDays = deps.holdDays ?? DEFAULT_HOLD_DAYS;
  if (approved) {
    // The network approved already: held when the ledger can (a piece it refused is posted directly at clearing).
    await deps.velocity.reserve(card.id, id, amount, now, {});
    await holdPiece(deps, card, id, 1, amount, holdSeconds(holdDays)).catch(() => 'LEDGER_UNAVAILABLE');
  }
  const holds = approved ? 1 : 0;
  const code = approved ? '00' : (message.responseCode ?? '05');
  await deps.authorizations.decide(
    id,
    { state: approved ? 'APPROVED' : 'DECLINED', responseCode: code, declineReason: approved ? null : 'NETWORK_STAND_IN', approvalCode: message.approvalCode ?? (approved ? approvalCodeFor(id) : null), riskScoreBps: null, decidedBy: 'NETWORK_STAND_IN', holds, expiresAt: approved ? holdExpiry(now, holdDays) : null },
    [cardEvent(approved ? 'cards.authorization.approved' : 'cards.authorization.declined', id, card, { authorizationId: id, amount, currency: card.currency, mcc: claim.mcc, merchant: claim.merchant, responseCode: code, decidedBy: 'NETWORK_STAND_IN' })],
  );
  return { code: '00', authorizationId: id };
}
