import { responseCodeFor, type DeclineReason } from '../domain/decline-codes';
import { parseNetworkMessage, type NetworkMessage, type NetworkMessageJson } from '../domain/iso8583';
import { responseFor } from '../domain/iso8583-response';
import { refusalFor } from '../domain/network-refusal';
import { precheckAuthorization } from '../domain/authorization-checks';
import { PAN_INDEX_CONTEXT } from '../store/pan-index';
import type { AuthorizationRow } from '../store/authorization-store';
import type { AuthorizingCard } from '../store/card-lookup-store';
import { authorizeCardPayment, recordAuthorizationAdvice, storedAuthorizationOutcome, type AuthorizationOutcome } from './authorize-card-payment';
import { captureCardAuthorization } from './capture-card-authorization';
import { forcePostCardPayment } from './force-post-card-payment';
import { incrementAuthorization } from './increment-authorization';
import { refundCardPayment } from './refund-card-payment';
import { reverseCardAuthorization } from './reverse-card-authorization';
import type { NetworkDeps } from './network-message-deps';

export type { NetworkDeps } from './network-message-deps';

/**
 * Answers one network message (ISO 8583-shaped JSON). A message that does not parse is refused with its
 * DE39 code and writes nothing; an unknown card (the PAN's blind index finds none) is 14. Then by MTI:
 * - 0100: the card's own checks (state, expiry, CVV2, currency: refused writing nothing), then a new
 *   authorisation, a repeat (same card, RRN, STAN, amount: the stored answer), or an incremental
 *   authorisation (same card and RRN as an approved one, another STAN);
 * - 0120: the network's stand-in decision, recorded; 0220: a refund (processing code 20), a capture of the
 *   approved authorisation with the same RRN, or else a force-post; 0400: a reversal of it.
 * The response echoes STAN, RRN and amount, never the PAN. An unexpected failure answers 96.
 */
export async function processNetworkMessage(deps: NetworkDeps, json: unknown): Promise<NetworkMessageJson> {
  return (await answerNetworkMessage(deps, json)).response;
}

/** A card the caller already read, with its PAN's blind index: used only when the message's PAN indexes to it. */
export type KnownCard = AuthorizingCard & { readonly panIndex: string };

/**
 * processNetworkMessage, also answering the authorisation as the message left it when the path holds it
 * (the simulator's answer, without reading it again). `known`: the card the caller built the message from;
 * the engine still takes the card the message's PAN names (its blind index), and skips the look-up only
 * when that is `known`.
 */
export async function answerNetworkMessage(deps: NetworkDeps, json: unknown, known?: KnownCard): Promise<{ response: NetworkMessageJson; authorization?: AuthorizationRow }> {
  const parsed = parseNetworkMessage(json);
  if (!parsed.ok) return { response: refusalFor(json, parsed.responseCode) };
  const message = parsed.message;
  if (!['0100', '0120', '0220', '0400'].includes(message.mti)) return { response: refusalFor(json, responseCodeFor('INVALID_TRANSACTION')) };
  try {
    const panIndex = deps.vault.blindIndex(message.pan!, PAN_INDEX_CONTEXT);
    const card = known?.panIndex === panIndex ? known : await deps.cards.byPanIndex(panIndex);
    if (!card) return { response: respond(message, { code: responseCodeFor('INVALID_CARD_NUMBER') }) };
    const outcome = await dispatch(deps, card, message);
    return { response: respond(message, outcome), ...(outcome.authorization ? { authorization: outcome.authorization } : {}) };
  } catch (error) {
    deps.logger?.error({ mti: message.mti, stan: message.stan, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'network message failed: answered 96');
    return { response: respond(message, { code: responseCodeFor('SYSTEM_ERROR') }) };
  }
}

function respond(message: NetworkMessage, outcome: AuthorizationOutcome): NetworkMessageJson {
  const approved = outcome.code === '00' && message.mti === '0100';
  return responseFor(message, { code: outcome.code, ...(approved && outcome.approvalCode ? { approvalCode: outcome.approvalCode } : {}) });
}

async function dispatch(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage): Promise<AuthorizationOutcome> {
  const now = deps.now?.() ?? new Date();
  switch (message.mti) {
    case '0100': {
      const refusal = precheckAuthorization(card, message, now, deps.cvvKey) ?? (await tokenRefusal(deps, card, message));
      if (refusal !== null) return { code: responseCodeFor(refusal) };
      return authorizeOrRepeat(deps, card, message);
    }
    case '0120':
      return recordAuthorizationAdvice(deps, card, message);
    case '0220': {
      if (message.currency !== card.currency) return { code: responseCodeFor('INVALID_AMOUNT') };
      if (message.transactionType === 'REFUND') return refundCardPayment(deps, card, message);
      const auth = await deps.authorizations.byCardRrn(card.id, message.rrn!);
      if (auth?.state === 'APPROVED') return captureCardAuthorization(deps, card, auth, message);
      return forcePostCardPayment(deps, card, message, auth?.id ?? null);
    }
    default: {
      const auth = await deps.authorizations.byCardRrn(card.id, message.rrn!);
      // Nothing to reverse: acknowledged, so the network stops repeating it.
      if (!auth) return { code: '00' };
      return reverseCardAuthorization(deps, card, auth, message);
    }
  }
}

/**
 * A wallet payment (DE123 names the network token it came from): a token that is not this card's (or unknown)
 * is 14, one SUSPENDED or DELETED is 62: suspending a device's token stops it paying, the card and its other
 * tokens go on. A message without DE123 is the card's own (plastic, or the PAN keyed in).
 */
async function tokenRefusal(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage): Promise<DeclineReason | null> {
  if (message.tokenId === undefined) return null;
  const token = deps.tokens ? await deps.tokens.stateOf(message.tokenId) : null;
  if (!token || token.cardId !== card.id) return 'INVALID_CARD_NUMBER';
  return token.state === 'ACTIVE' ? null : 'RESTRICTED_CARD';
}

/**
 * A new (card, RRN) is claimed at once (no read first: the claim's unique key is the look-up); when the pair is
 * taken (the claim throws, having written nothing), the authorisation holding it answers: a repeat or an increment.
 */
async function authorizeOrRepeat(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage): Promise<AuthorizationOutcome> {
  let existing: AuthorizationRow | null;
  try {
    return await authorizeCardPayment(deps, card, message);
  } catch (error) {
    existing = await deps.authorizations.byCardRrn(card.id, message.rrn!);
    if (!existing) throw error;
  }
  // The STAN names the original message: its repeat (even after increments raised the amount) answers as it did.
  if (existing.stan === message.stan) return storedAuthorizationOutcome(deps, existing);
  if (existing.state === 'PENDING') await storedAuthorizationOutcome(deps, existing);
  const current = (await deps.authorizations.byId(existing.id)) ?? existing;
  if (current.state !== 'APPROVED') return { code: responseCodeFor('INVALID_TRANSACTION') };
  return incrementAuthorization(deps, card, current, message);
}
