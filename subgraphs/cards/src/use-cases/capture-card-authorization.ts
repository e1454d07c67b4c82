import { derivedUuid } from '@baas/server';
import { responseCodeFor } from '../domain/decline-codes';
import { heldAmount, planCapture } from '../domain/hold-pieces';
import type { NetworkMessage } from '../domain/iso8583';
import { isFinalCapture, networkKey } from '../domain/network-fields';
import type { AuthorizationRow } from '../store/authorization-store';
import type { AuthorizingCard } from '../store/card-lookup-store';
import { applyHoldPlan, currentHolds, movementTime, releaseReservations } from './authorization-holds';
import { authorizationEventFields, cardEvent, type NetworkDeps } from './network-message-deps';

export type MovementOutcome = { readonly code: string; readonly transactionId?: string };

/**
 * A clearing (0220) of an approved authorisation: posts what it captures from the holds (partial and
 * multiple captures: a piece taken in part is posted in part and the rest re-held; see hold-pieces.ts).
 * The capture is final when the captured total reaches the authorised amount (the 0220 here carries no
 * final flag): the holds left are voided and the velocity reservation of what was not captured released.
 * Runs under the authorisation's row lock; a repeated message (same network key) answers '00' and moves
 * nothing. A capture the ledger refuses (a piece no longer held, posted directly, without the funds) is
 * answered 51 and records nothing.
 */
export async function captureCardAuthorization(deps: NetworkDeps, card: AuthorizingCard, auth: AuthorizationRow, message: NetworkMessage): Promise<MovementOutcome> {
  const amount = message.amount!;
  const key = networkKey(card.id, message);
  const transactionId = derivedUuid(`cards:tx:${key}`);
  const afterCommit: { release?: () => Promise<void> } = {};
  const outcome = await deps.authorizations.withLocked(auth.id, async (tx, row): Promise<MovementOutcome> => {
    if (await deps.transactions.byNetworkKey(key, tx)) return { code: '00', transactionId };
    const now = deps.now?.() ?? new Date();
    const { state, lastAt, reservations } = await currentHolds(deps, tx, row);
    const final = isFinalCapture(row.amount, row.captured, amount);
    const plan = planCapture(state, amount, final);
    const applied = await applyHoldPlan(deps, card, row, transactionId, plan, now);
    if (applied.refusal !== null) return { code: responseCodeFor(applied.refusal === 'INSUFFICIENT_FUNDS' ? 'INSUFFICIENT_FUNDS' : 'DO_NOT_HONOUR') };
    const captured = row.captured + amount;
    const releasedNow = heldAmount(state) - heldAmount(plan.after);
    const at = movementTime(now, lastAt);
    await deps.transactions.record(
      tx,
      { id: transactionId, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, authorizationId: row.id, kind: 'CAPTURE', amount, currency: card.currency, networkKey: key, ledgerTransferId: applied.firstTransferId },
      [cardEvent('cards.transaction.captured', transactionId, card, { ...authorizationEventFields(row), transactionId, amount, responseCode: '00', final, capturedTotal: captured.toString() })],
      at,
    );
    await deps.authorizations.change(tx, row.id, { captured, released: row.released + releasedNow, holds: plan.after.next - 1, ...(final ? { state: 'CLOSED' } : {}) }, []);
    if (final && row.amount > captured) afterCommit.release = () => releaseReservations(deps, card.id, reservations, row.amount - captured);
    return { code: '00', transactionId };
  });
  // After the commit: a retried transaction must not release twice.
  await afterCommit.release?.();
  return outcome;
}
