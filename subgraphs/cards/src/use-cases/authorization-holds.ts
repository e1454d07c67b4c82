import { written } from '../clients/ledger/client';
import { replayHolds, type HoldPlan, type HoldState } from '../domain/hold-pieces';
import { secondsUntil } from '../domain/network-fields';
import type { AuthorizationRow, Tx } from '../store/authorization-store';
import type { AuthorizingCard } from '../store/card-lookup-store';
import { directTransferId, holdIds, holdPiece, isGone, postDirect, voidPieces, type NetworkDeps } from './network-message-deps';

/**
 * The pieces an authorisation holds now, replayed from its history (INCREMENT, CAPTURE and REVERSAL
 * transactions, in order, over the approval's hold 1). Read inside the authorisation's row lock.
 */
export async function currentHolds(deps: Pick<NetworkDeps, 'transactions'>, tx: Tx, row: AuthorizationRow): Promise<{ state: HoldState; lastAt: Date | null; reservations: string[] }> {
  const history = await deps.transactions.history(tx, row.id);
  const increments = history.filter((h) => h.kind === 'INCREMENT');
  const approved = row.amount - increments.reduce((sum, h) => sum + h.amount, 0n);
  // Velocity reservations: the approval's (the authorisation id) and one per increment (its transaction id).
  const reservations = [row.id, ...increments.map((h) => h.id)];
  return { state: replayHolds(approved, history), lastAt: history.at(-1)?.createdAt ?? null, reservations };
}

/** Releases `amount` of velocity across an authorisation's reservations, the approval's first. */
export async function releaseReservations(deps: Pick<NetworkDeps, 'velocity'>, cardId: string, reservations: readonly string[], amount: bigint): Promise<void> {
  let left = amount;
  for (const id of reservations) {
    if (left <= 0n) return;
    left -= await deps.velocity.release(cardId, id, left);
  }
}

/** A movement's time: now, but after the authorisation's last one (its history replays in this order). */
export const movementTime = (now: Date, lastAt: Date | null): Date => (lastAt && lastAt.getTime() >= now.getTime() ? new Date(lastAt.getTime() + 1) : now);

export type AppliedPlan = { readonly refusal: string | null; readonly firstTransferId: string | null; readonly reheld: boolean };

/**
 * Asks the ledger for a plan, in order: post the pieces (part or all), void the pieces, re-hold what a
 * piece taken in part keeps, post any excess. A piece the ledger no longer holds (expired, or a re-hold it
 * refused) is posted directly from the customer instead. Every id is derived from the authorisation, the
 * piece or the movement, so repeating a plan (a retry, a repeated message) replays it. Answers the ledger's
 * refusal of a direct post (INSUFFICIENT_FUNDS: nothing is recorded; the network repeats the message).
 */
export async function applyHoldPlan(deps: NetworkDeps, card: AuthorizingCard, row: AuthorizationRow, transactionId: string, plan: HoldPlan, now: Date): Promise<AppliedPlan> {
  let firstTransferId: string | null = null;
  if (plan.posts.length > 0) {
    const results = await deps.ledger.postPending(plan.posts.map((p) => ({ id: holdIds(row.id, p.n).post, pendingId: holdIds(row.id, p.n).hold, amount: p.amount })));
    for (const [i, post] of plan.posts.entries()) {
      const result = results[i];
      if (written(result)) {
        firstTransferId ??= holdIds(row.id, post.n).post;
        continue;
      }
      if (!isGone(result)) throw new Error(`the ledger refused to post a card hold: ${result?.error}`);
      const id = directTransferId(transactionId, `piece:${post.n}`);
      const refusal = await postDirect(deps, card, id, post.amount, false, { authorizationId: row.id, transactionId, hold: post.n });
      if (refusal !== null) return { refusal, firstTransferId, reheld: false };
      firstTransferId ??= id;
    }
  }
  await voidPieces(deps, row.id, plan.voids);
  let reheld = false;
  if (plan.rehold) {
    const refusal = await holdPiece(deps, card, row.id, plan.rehold.n, plan.rehold.amount, secondsUntil(row.expiresAt ?? now, now));
    reheld = refusal === null;
    if (!reheld) deps.logger?.warn({ authorizationId: row.id, hold: plan.rehold.n, refusal }, 'the ledger refused to re-hold the rest of a card hold: it is posted directly if captured later');
  }
  if (plan.excess > 0n) {
    const id = directTransferId(transactionId, 'excess');
    const refusal = await postDirect(deps, card, id, plan.excess, false, { authorizationId: row.id, transactionId, excess: true });
    if (refusal !== null) return { refusal, firstTransferId, reheld };
    firstTransferId ??= id;
  }
  return { refusal: null, firstTransferId, reheld };
}
