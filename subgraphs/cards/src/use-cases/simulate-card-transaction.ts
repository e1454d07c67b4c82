import { createHash } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden, notFound } from '@baas/errors';
import { deriveCvv } from '../domain/cvv';
import type { NetworkMessageJson } from '../domain/iso8583';
import { simulatedMessage, transmissionTime, type SimulatedTransactionType } from '../domain/network-simulator';
import { CHANNELS, type Channel } from '../domain/spend-controls';
import { mayAdvanceFulfilment, requireVisibleCard } from '../permissions';
import type { AuthorizationRow } from '../store/authorization-store';
import { panSealContext } from '../store/pan-index';
import { isUuidText, type CardDeps } from './card-deps';
import { answerNetworkMessage, type NetworkDeps } from './process-network-message';

export type SimulateCardTransactionInput = {
  id: string;
  cardId: string;
  type: SimulatedTransactionType;
  amount: string;
  authorizationId?: string | null;
  mcc?: string | null;
  merchant?: string | null;
  country?: string | null;
  channel?: string | null;
  cvv?: string | null;
  expiry?: string | null;
  /** AUTHORIZATION: the verified 3-D Secure challenge the purchase was authenticated with (sent in DE48). */
  challengeId?: string | null;
  /** AUTHORIZATION: the wallet token the purchase was paid with (sent in DE123). */
  tokenId?: string | null;
};

/** The network's answer and the authorisation it created or acted on (when the caller may see it). */
export type NetworkAnswer = { response: NetworkMessageJson; authorization: AuthorizationRow | null };

/** A reference of `length` characters derived from the request id and a label (a repeat is the same message). */
function derivedRef(id: string, label: string, length: number, digits: boolean): string {
  const hash = createHash('sha256').update(`${label}:${id}`).digest();
  if (digits) return (hash.readBigUInt64BE(0) % 10n ** BigInt(length)).toString().padStart(length, '0');
  return hash.toString('hex').slice(0, length).toUpperCase();
}

/** The engine, for a sandbox caller: operators, or a sandbox tenant's client holding cards:write (FORBIDDEN otherwise). */
export async function sandboxNetwork(deps: CardDeps, who: Identity, card: { tenantId: string; customerId: string }): Promise<NetworkDeps> {
  if (!deps.settingsOf.sandbox || !deps.network || !mayAdvanceFulfilment(who, card, await deps.tenantSandbox(card.tenantId))) throw forbidden();
  return deps.network;
}

const MONEY = /^[1-9]\d{0,17}$/;

/**
 * Sandbox: the card network simulator. Builds the ISO 8583-shaped message a network would send for
 * the card (its PAN and expiry opened from the vault, its CVV2 derived, both replaceable by the
 * input to test declines) and answers it through the authorisation engine, exactly as a message
 * from the network: AUTHORIZATION, INCREMENT, CAPTURE, REVERSAL, REFUND, FORCE_POST. `id` is the
 * idempotency key: the message's STAN (and a new authorisation's RRN) derive from it, so a repeat is
 * the same message and is answered as the first, moving nothing again. The PAN never leaves.
 */
export async function simulateCardTransaction(deps: CardDeps, who: Identity, input: SimulateCardTransactionInput): Promise<NetworkAnswer> {
  if (!isUuidText(input.id)) throw badInput('id is a UUID.', { field: 'id', reason: 'MALFORMED_ID' });
  if (!isUuidText(input.cardId)) throw notFound('Card');
  // The card and its sealed PAN in one statement (the PAN is opened only once the caller may simulate on the card).
  const found = await deps.vault.cardWithSealedPan(input.cardId.toLowerCase());
  const card = requireVisibleCard(who, found?.card ?? null);
  const sealed = found?.sealed ?? null;
  const network = await sandboxNetwork(deps, who, card);
  if (!MONEY.test(input.amount)) throw badInput('amount is a positive whole number of minor units.', { field: 'amount', reason: 'MALFORMED_AMOUNT' });
  const channel = (input.channel ?? 'ONLINE') as Channel;
  if (!CHANNELS.includes(channel)) throw badInput('Unknown channel.', { field: 'channel', reason: 'UNKNOWN_CHANNEL' });
  const mcc = input.mcc ?? '5411';
  if (!/^\d{4}$/.test(mcc)) throw badInput('mcc is 4 digits.', { field: 'mcc', reason: 'MALFORMED_MCC' });
  const country = (input.country ?? 'BR').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw badInput('country is ISO 3166-1 alpha-2.', { field: 'country', reason: 'MALFORMED_COUNTRY' });
  if (input.cvv != null && !/^\d{3}$/.test(input.cvv)) throw badInput('cvv is 3 digits.', { field: 'cvv', reason: 'MALFORMED_CVV' });
  if (input.expiry != null && !/^\d{4}$/.test(input.expiry)) throw badInput('expiry is YYMM.', { field: 'expiry', reason: 'MALFORMED_EXPIRY' });

  if (input.challengeId != null && (input.type !== 'AUTHORIZATION' || !isUuidText(input.challengeId))) {
    throw badInput('challengeId is the UUID of a 3-D Secure challenge, on an AUTHORIZATION.', { field: 'challengeId', reason: 'MALFORMED_CHALLENGE_ID' });
  }
  if (input.tokenId != null && (input.type !== 'AUTHORIZATION' || !isUuidText(input.tokenId))) {
    throw badInput('tokenId is the UUID of one of the card\'s network tokens, on an AUTHORIZATION.', { field: 'tokenId', reason: 'MALFORMED_TOKEN_ID' });
  }
  let original: AuthorizationRow | null = null;
  if (input.type === 'INCREMENT' || input.type === 'CAPTURE' || input.type === 'REVERSAL') {
    if (!input.authorizationId) throw badInput(`${input.type} names the authorisation.`, { field: 'authorizationId', reason: 'REQUIRED' });
    original = isUuidText(input.authorizationId) ? await network.authorizations.byId(input.authorizationId.toLowerCase()) : null;
    if (!original || original.cardId !== card.id) throw notFound('CardAuthorization');
  }
  if (!sealed) throw new DomainError('INTERNAL_SERVER_ERROR');
  const pan = deps.pii.decrypt(sealed.sealedPan, panSealContext(card.id));
  const message = simulatedMessage({
    type: input.type,
    pan,
    expiry: input.expiry ?? card.expiry,
    cvv: input.cvv ?? deriveCvv(deps.cvvKey, pan, card.expiry),
    amount: BigInt(input.amount),
    currency: card.currency,
    mcc,
    merchant: input.merchant ?? 'SANDBOX MERCHANT',
    country,
    channel,
    rrn: original?.rrn ?? derivedRef(input.id, 'rrn', 12, false),
    stan: derivedRef(input.id, 'stan', 6, true),
    ...(original ? { original: { stan: original.stan, transmittedAt: transmissionTime(original.createdAt) } } : {}),
    at: (deps.now ?? (() => new Date()))(),
  });
  if (input.challengeId != null) message.elements['48'] = input.challengeId.toLowerCase();
  if (input.tokenId != null) message.elements['123'] = input.tokenId.toLowerCase();
  const answer = await answerNetworkMessage(network, message, card);
  const { response } = answer;
  const rrn = response.elements['37'];
  const authorization =
    answer.authorization ?? (original ? await network.authorizations.byId(original.id) : rrn ? await network.authorizations.byCardRrn(card.id, rrn) : null);
  return { response, authorization };
}
