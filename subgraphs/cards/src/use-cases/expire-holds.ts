import { heldAmount } from '../domain/hold-pieces';
import type { AuthorizationStore } from '../store/authorization-store';
import type { AuthorizingCard, CardLookupStore } from '../store/card-lookup-store';
import type { CardTransactionStore } from '../store/card-transaction-store';
import type { VelocityStore } from '../store/velocity-store';
import { currentHolds, releaseReservations } from './authorization-holds';
import { authorizationEventFields, cardEvent } from './network-message-deps';

export type ExpireHoldsDeps = {
  readonly authorizations: AuthorizationStore;
  readonly transactions: CardTransactionStore;
  readonly velocity: VelocityStore;
  readonly cards: Pick<CardLookupStore, 'byId'>;
  readonly now?: () => Date;
};

/**
 * Closes APPROVED authorisations whose holds are past expiresAt: the ledger's own timeout voided the
 * pending transfers (every piece times out by expiresAt), so nothing is asked of it; what was still held
 * is recorded as released, the velocity reservation of it released, and cards.authorization.expired
 * written, in the authorisation's row lock (a capture racing it either lands first or finds it CLOSED and
 * posts as a force-post). Answers how many were closed; a batch at a time.
 */
export async function expireHolds(deps: ExpireHoldsDeps, limit = 100): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.authorizations.expiredBy(now, limit);
  let closed = 0;
  for (const due1 of due) {
    const card = (await deps.cards.byId(due1.cardId)) as AuthorizingCard | null;
    if (!card) continue;
    const afterCommit: { release?: () => Promise<void> } = {};
    const done = await deps.authorizations.withLocked(due1.id, async (tx, row) => {
      if (row.state !== 'APPROVED' || !row.expiresAt || row.expiresAt.getTime() > now.getTime()) return false;
      const { state, reservations } = await currentHolds(deps, tx, row);
      const expired = heldAmount(state);
      await deps.authorizations.change(tx, row.id, { state: 'CLOSED', released: row.released + expired }, [
        cardEvent('cards.authorization.expired', row.id, card, { ...authorizationEventFields(row), amount: expired, responseCode: row.responseCode }),
      ]);
      if (expired > 0n) afterCommit.release = () => releaseReservations(deps, card.id, reservations, expired);
      return true;
    });
    await afterCommit.release?.();
    if (done) closed += 1;
  }
  return closed;
}
