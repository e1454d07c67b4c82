import { derivedUuid } from '@baas/server';
import { heldAmount, planRelease } from '../domain/hold-pieces';
import type { NetworkMessage } from '../domain/iso8583';
import { networkKey } from '../domain/network-fields';
import type { AuthorizationRow } from '../store/authorization-store';
import type { AuthorizingCard } from '../store/card-lookup-store';
import { applyHoldPlan, currentHolds, movementTime, releaseReservations } from './authorization-holds';
import type { MovementOutcome } from './capture-card-authorization';
import { authorizationEventFields, cardEvent, type NetworkDeps } from './network-message-deps';

/**
 * A reversal (0400) of an approved authorisation: DE4 is the amount reversed; at least what is still held
 * is a full reversal (every hold voided, the authorisation CLOSED), less is partial (the newest pieces
 * voided, what a piece keeps re-held). The velocity reservation is released by what the holds released.
 * An authorisation with nothing held (declined, closed, expired) is acknowledged '00' and nothing moves;
 * a repeated message (same network key) answers '00' and moves nothing.
 */
export async function reverseCardAuthorization(deps: NetworkDeps, card: AuthorizingCard, auth: AuthorizationRow, message: NetworkMessage): Promise<MovementOutcome> {
  const amount = message.amount!;
  const key = networkKey(card.id, message);
  const transactionId = derivedUuid(`cards:tx:${key}`);
  const afterCommit: { release?: () => Promise<void> } = {};
  const outcome = await deps.authorizations.withLocked(auth.id, async (tx, row): Promise<MovementOutcome> => {
    if (row.state !== 'APPROVED') return { code: '00' };
    if (await deps.transactions.byNetworkKey(key, tx)) return { code: '00', transactionId };
    const now = deps.now?.() ?? new Date();
    const { state, lastAt, reservations } = await currentHolds(deps, tx, row);
    const held = heldAmount(state);
    if (held === 0n) return { code: '00' };
    const full = amount === 0n || amount >= held;
    const plan = planRelease(state, full ? undefined : amount);
    await applyHoldPlan(deps, card, row, transactionId, plan, now);
    const released = held - heldAmount(plan.after);
    await deps.transactions.record(
      tx,
      { id: transactionId, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, authorizationId: row.id, kind: 'REVERSAL', amount: released, currency: card.currency, networkKey: key, ledgerTransferId: null },
      [cardEvent('cards.authorization.reversed', transactionId, card, { ...authorizationEventFields(row), transactionId, amount: released, responseCode: '00', full })],
      movementTime(now, lastAt),
    );
    await deps.authorizations.change(tx, row.id, { released: row.released + released, holds: plan.after.next - 1, ...(full ? { state: 'CLOSED' } : {}) }, []);
    afterCommit.release = () => releaseReservations(deps, card.id, reservations, released);
    return { code: '00', transactionId };
  });
  // After the commit: a retried transaction must not release twice.
  await afterCommit.release?.();
  return outcome;
}
