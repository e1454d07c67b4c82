/**
 * An authorisation's ledger holds as pieces. The ledger's two-phase transfers post a pending transfer
 * once (posting part of it releases the rest, TigerBeetle style) and cannot post a pending transfer
 * inside a linked batch of new transfers, so an authorisation keeps one pending transfer per piece:
 * hold 1 for the approval, one more per incremental authorisation, and, when a capture or a partial
 * reversal takes part of a piece, a new piece re-holding what is left of it (numbered on: hold n has a
 * derived id, so every ledger call is safe to repeat). Pure: the pieces of an authorisation are replayed
 * from its history (the approval and its INCREMENT, CAPTURE and REVERSAL transactions, in order).
 */

export type HoldPiece = { readonly n: number; readonly amount: bigint };
export type HoldState = { readonly pieces: readonly HoldPiece[]; readonly next: number };
export type HoldHistoryEntry = { readonly kind: 'INCREMENT' | 'CAPTURE' | 'REVERSAL' | string; readonly amount: bigint };

/** What to ask the ledger, in this order: post these pieces (amount absent: all of it), void these, then hold `rehold`. */
export type HoldPlan = {
  readonly posts: readonly { readonly n: number; readonly amount: bigint; readonly whole: boolean }[];
  readonly voids: readonly number[];
  readonly rehold: HoldPiece | null;
  /** A capture above everything held: posted as a plain transfer (the network's over-capture, e.g. a tip). */
  readonly excess: bigint;
  /** What stays held afterwards. */
  readonly after: HoldState;
};

export const initialHolds = (amount: bigint): HoldState => ({ pieces: [{ n: 1, amount }], next: 2 });

export const heldAmount = (state: HoldState): bigint => state.pieces.reduce((sum, p) => sum + p.amount, 0n);

/** The pieces of an authorisation approved for `approved` (its first hold), after its history. */
export function replayHolds(approved: bigint, history: readonly HoldHistoryEntry[]): HoldState {
  let state = initialHolds(approved);
  for (const entry of history) {
    if (entry.kind === 'INCREMENT') state = planIncrement(state, entry.amount).after;
    else if (entry.kind === 'CAPTURE') state = planCapture(state, entry.amount, false).after;
    else if (entry.kind === 'REVERSAL') state = planRelease(state, entry.amount).after;
  }
  return state;
}

/** An incremental authorisation: a new piece of `amount`. */
export function planIncrement(state: HoldState, amount: bigint): HoldPlan {
  if (amount <= 0n) throw new RangeError('an increment is positive');
  const rehold = { n: state.next, amount };
  return { posts: [], voids: [], rehold, excess: 0n, after: { pieces: [...state.pieces, rehold], next: state.next + 1 } };
}

/**
 * A capture of `amount`: posts pieces oldest first; a piece taken in part is posted in part and, unless
 * the capture is final, what is left of it is re-held as a new piece. A final capture voids every piece
 * it did not touch. Capturing more than is held posts the excess as a plain transfer.
 */
export function planCapture(state: HoldState, amount: bigint, final: boolean): HoldPlan {
  if (amount <= 0n) throw new RangeError('a capture is positive');
  const posts: { n: number; amount: bigint; whole: boolean }[] = [];
  const kept: HoldPiece[] = [];
  let left = amount;
  let rehold: HoldPiece | null = null;
  let next = state.next;
  for (const piece of state.pieces) {
    if (left === 0n) {
      kept.push(piece);
      continue;
    }
    if (piece.amount <= left) {
      posts.push({ n: piece.n, amount: piece.amount, whole: true });
      left -= piece.amount;
      continue;
    }
    posts.push({ n: piece.n, amount: left, whole: false });
    if (!final) {
      rehold = { n: next, amount: piece.amount - left };
      next += 1;
    }
    left = 0n;
  }
  if (final) return { posts, voids: kept.map((p) => p.n), rehold: null, excess: left, after: { pieces: [], next } };
  return { posts, voids: [], rehold, excess: left, after: { pieces: rehold ? [rehold, ...kept] : kept, next } };
}

/**
 * A reversal of `amount` (absent: everything held): voids pieces newest first; a piece reversed in part is
 * voided and what is kept of it re-held as a new piece. Reversing more than is held releases what is held.
 */
export function planRelease(state: HoldState, amount?: bigint): HoldPlan {
  if (amount !== undefined && amount <= 0n) throw new RangeError('a reversal is positive');
  let left = amount ?? heldAmount(state);
  const voids: number[] = [];
  const kept: HoldPiece[] = [];
  let rehold: HoldPiece | null = null;
  let next = state.next;
  for (const piece of [...state.pieces].reverse()) {
    if (left === 0n) {
      kept.unshift(piece);
      continue;
    }
    voids.push(piece.n);
    if (piece.amount <= left) {
      left -= piece.amount;
      continue;
    }
    rehold = { n: next, amount: piece.amount - left };
    next += 1;
    left = 0n;
  }
  return { posts: [], voids, rehold, excess: 0n, after: { pieces: rehold ? [...kept, rehold] : kept, next } };
}
