import { responseCodeFor } from '../domain/decline-codes';
import { parseNetworkMessage, type NetworkMessage, type NetworkMessageJson } from '../domain/iso8583';
import { responseFor } from '../domain/iso8583-response';
import { refusalFor } from '../domain/network-refusal';
import { precheckAuthorization } from '../domain/authorization-checks';
import { PAN_INDEX_CONTEXT } from '../store/pan-index';
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
  const parsed = parseNetworkMessage(json);
  if (!parsed.ok) return refusalFor(json, parsed.responseCode);
  const message = parsed.message;
  if (!['0100', '0120', '0220', '0400'].includes(message.mti)) return refusalFor(json, responseCodeFor('INVALID_TRANSACTION'));
  try {
    const card = await deps.cards.byPanIndex(deps.vault.blindIndex(message.pan!, PAN_INDEX_CONTEXT));
    if (!card) return respond(message, { code: responseCodeFor('INVALID_CARD_NUMBER') });
    return respond(message, await dispatch(deps, card, message));
  } catch (error) {
    deps.logger?.error({ mti: message.mti, stan: message.stan, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'network message failed: answered 96');
    return respond(message, { code: responseCodeFor('SYSTEM_ERROR') });
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
      const refusal = precheckAuthorization(card, message, now, deps.cvvKey);
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

async function authorizeOrRepeat(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage): Promise<AuthorizationOutcome> {
  let existing = await deps.authorizations.byCardRrn(card.id, message.rrn!);
  if (!existing) {
    try {
      return await authorizeCardPayment(deps, card, message);
    } catch (error) {
      existing = await deps.authorizations.byCardRrn(card.id, message.rrn!);
      if (!existing) throw error;
    }
  }
  // The STAN names the original message: its repeat (even after increments raised the amount) answers as it did.
  if (existing.stan === message.stan) return storedAuthorizationOutcome(deps, existing);
  if (existing.state === 'PENDING') await storedAuthorizationOutcome(deps, existing);
  const current = (await deps.authorizations.byId(existing.id)) ?? existing;
  if (current.state !== 'APPROVED') return { code: responseCodeFor('INVALID_TRANSACTION') };
  return incrementAuthorization(deps, card, current, message);
}
