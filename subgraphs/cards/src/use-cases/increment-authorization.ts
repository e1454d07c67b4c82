import { derivedUuid } from '@baas/server';
import { responseCodeFor, type DeclineReason } from '../domain/decline-codes';
import { planIncrement } from '../domain/hold-pieces';
import type { NetworkMessage } from '../domain/iso8583';
import { networkKey, secondsUntil } from '../domain/network-fields';
import { checkSpend, type Channel } from '../domain/spend-controls';
import type { AuthorizationRow } from '../store/authorization-store';
import type { AuthorizingCard } from '../store/card-lookup-store';
import type { AuthorizationOutcome } from './authorize-card-payment';
import { currentHolds, movementTime } from './authorization-holds';
import { authorizationEventFields, cardEvent, holdIds, holdPiece, type NetworkDeps } from './network-message-deps';
import { cardControls } from './authorization-controls';

/**
 * An incremental authorisation: an 0100 with the RRN (DE37) of an approved authorisation of the same card
 * and another STAN raises it by its DE4 amount (the rule chosen: same card + same RRN; DE90 is not carried
 * by an 0100 in this message layout). The increment passes the spend controls (per transaction against the
 * new total, the windows by the increment, reserved atomically under the increment's id) and gets a hold
 * piece of its own; the ledger refusing for funds is 51 and nothing is recorded. Risk and the tenant
 * webhook decided the authorisation already and are not asked again. A repeat answers '00' again.
 */
export async function incrementAuthorization(deps: NetworkDeps, card: AuthorizingCard, auth: AuthorizationRow, message: NetworkMessage): Promise<AuthorizationOutcome> {
  const amount = message.amount!;
  const key = networkKey(card.id, message);
  const transactionId = derivedUuid(`cards:tx:${key}`);
  return deps.authorizations.withLocked(auth.id, async (tx, row) => {
    const approved = { code: '00', approvalCode: row.approvalCode ?? undefined, authorizationId: row.id } as AuthorizationOutcome;
    if (await deps.transactions.byNetworkKey(key, tx)) return approved;
    const declined = (reason: DeclineReason): AuthorizationOutcome => ({ code: responseCodeFor(reason), authorizationId: row.id });
    if (row.state !== 'APPROVED') return declined('INVALID_TRANSACTION');
    const now = deps.now?.() ?? new Date();
    const controls = await cardControls(deps, card);
    const usage = await deps.velocity.usage(card.id, now);
    const perTransaction = checkSpend({ ...(controls.perTransaction === undefined ? {} : { perTransaction: controls.perTransaction }) }, { amount: row.amount + amount, mcc: row.mcc, country: row.country, channel: row.channel as Channel }, usage);
    if (!perTransaction.ok) return declined(perTransaction.decline);
    const spend = checkSpend({ ...controls, perTransaction: undefined }, { amount, mcc: row.mcc, country: row.country, channel: row.channel as Channel }, usage);
    if (!spend.ok) return declined(spend.decline);
    const reservation = await deps.velocity.reserve(card.id, transactionId, amount, now, controls);
    if (!reservation.ok) return declined('EXCEEDS_AMOUNT_LIMIT');
    const { state, lastAt } = await currentHolds(deps, tx, row);
    const plan = planIncrement(state, amount);
    const refusal = await holdPiece(deps, card, row.id, plan.rehold!.n, amount, secondsUntil(row.expiresAt ?? now, now)).catch(() => 'LEDGER_UNAVAILABLE');
    if (refusal !== null) {
      // A call that failed may still have placed the piece. It is left (held too much, never too little): the
      // network's repeat of this increment gets the same piece id and the ledger answers REPLAYED; without a
      // repeat the piece times out with the authorisation.
      await deps.velocity.release(card.id, transactionId);
      return declined(refusal === 'INSUFFICIENT_FUNDS' ? 'INSUFFICIENT_FUNDS' : refusal === 'LEDGER_UNAVAILABLE' ? 'ISSUER_UNAVAILABLE' : 'DO_NOT_HONOUR');
    }
    const total = row.amount + amount;
    await deps.transactions.record(
      tx,
      { id: transactionId, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, authorizationId: row.id, kind: 'INCREMENT', amount, currency: card.currency, networkKey: key, ledgerTransferId: holdIds(row.id, plan.rehold!.n).hold },
      [cardEvent('cards.authorization.approved', transactionId, card, { ...authorizationEventFields(row), transactionId, amount, responseCode: '00', incremental: true, authorizedTotal: total.toString() })],
      movementTime(now, lastAt),
    );
    await deps.authorizations.change(tx, row.id, { amount: total, holds: plan.after.next - 1 }, []);
    return approved;
  });
}
