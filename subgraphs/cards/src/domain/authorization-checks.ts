/**
 * The checks of an authorisation that need nothing but the card and the message, in the decision order:
 * card state, expiry (the card's own, and DE14 against it), CVV2 when the message carries one, then the
 * currency (the card's account currency only: no conversion here). A refusal here writes nothing. Pure.
 */
import { declineForCardState, type CardState, type CloseReason } from './card-states';
import { cvvMatches } from './cvv';
import type { DeclineReason } from './decline-codes';
import { isExpired } from './expiry';
import type { NetworkMessage } from './iso8583';

export type CardForChecks = { readonly state: string; readonly closeReason: string | null; readonly expiry: string; readonly currency: string };

export function precheckAuthorization(card: CardForChecks, message: NetworkMessage, now: Date, cvvKey: Uint8Array): DeclineReason | null {
  const byState = declineForCardState(card.state as CardState, card.closeReason as CloseReason | null);
  if (byState !== null) return byState;
  if (isExpired(card.expiry, now)) return 'EXPIRED_CARD';
  if (message.expiry !== undefined && message.expiry !== card.expiry) return 'EXPIRED_CARD';
  if (message.cvv2 !== undefined && (message.pan === undefined || !cvvMatches(cvvKey, message.pan, card.expiry, message.cvv2))) return 'BAD_CVV';
  if (message.currency !== undefined && message.currency !== card.currency) return 'INVALID_AMOUNT';
  if (message.amount === undefined || message.amount <= 0n) return 'INVALID_AMOUNT';
  return null;
}
