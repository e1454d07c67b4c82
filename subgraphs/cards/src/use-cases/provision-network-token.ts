import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden, notFound } from '@baas/errors';
import { createOrReplay, requestFingerprint } from '@baas/idempotency';
import { panFromSequence, panParts } from '../domain/pan';
import { keyInScope, keyOutOfScope, maySetControls, requireVisibleCard } from '../permissions';
import type { CardTx } from '../store/card-store';
import type { NetworkTokenRow } from '../store/network-token-store';
import { TOKEN_INDEX_CONTEXT } from '../store/pan-index';
import { requireUuid, type CardDeps } from './card-deps';

export const WALLETS = ['APPLE_PAY', 'GOOGLE_PAY', 'SAMSUNG_PAY'] as const;
export const PROVISION_TOKEN_FINGERPRINT_KIND = 'cards.provision-network-token/v1';
/** Tokens (not deleted) one card may have: one per wallet and device, for a handful of devices. */
export const MAX_LIVE_TOKENS_PER_CARD = 10;
const DEVICE_ID = /^[\x21-\x7e]{1,128}$/;

export type ProvisionNetworkTokenInput = { id: string; cardId: string; wallet: string; deviceId: string };

/** A cards.token.* event: the token, its card and tenant, its last4; never its number. */
export const tokenEvent = (subject: string, t: Pick<NetworkTokenRow, 'id' | 'cardId' | 'tenantId' | 'customerId' | 'wallet' | 'last4'>, state: string) => ({
  eventId: randomUUID(),
  subject,
  data: { tokenId: t.id, cardId: t.cardId, tenantId: t.tenantId, customerId: t.customerId, wallet: t.wallet, state, last4: t.last4 },
});

/**
 * Provisions a wallet token for an ACTIVE card (its holder, or its tenant's client with
 * cards:write; a card the caller may not see is NOT_FOUND) on one device: its own number from the
 * token BIN, kept only as a blind index and last4. One token per card, wallet and device (CONFLICT
 * TOKEN_EXISTS_FOR_DEVICE, even once deleted), at most 10 not deleted (TOKEN_LIMIT_REACHED). `input.id` is the token's id and the idempotency
 * key (same request: the same token; another: IDEMPOTENCY_KEY_REUSED). Event cards.token.provisioned.
 */
export async function provisionNetworkToken(deps: CardDeps, who: Identity, input: ProvisionNetworkTokenInput): Promise<NetworkTokenRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  const cardId = requireUuid(input.cardId, 'cardId');
  if (!(WALLETS as readonly string[]).includes(input.wallet)) throw badInput(`wallet is one of ${WALLETS.join(', ')}.`, { field: 'wallet', reason: 'UNKNOWN_WALLET' });
  if (typeof input.deviceId !== 'string' || !DEVICE_ID.test(input.deviceId)) throw badInput('deviceId is 1 to 128 printable characters.', { field: 'deviceId', reason: 'MALFORMED_DEVICE_ID' });
  const hash = requestFingerprint(PROVISION_TOKEN_FINGERPRINT_KIND, { cardId, wallet: input.wallet, deviceId: input.deviceId });
  const outcome = await createOrReplay<NetworkTokenRow, CardTx>({
    hash,
    storedHash: (row) => row.requestHash,
    scope: (row) => keyInScope(who, row),
    outOfScope: keyOutOfScope,
    transaction: (work) => deps.cards.transaction(work),
    find: (tx) => deps.tokens.findById(id, tx),
    insert: async (tx) => {
      const card = requireVisibleCard(who, await deps.cards.lock(tx, cardId));
      // A concurrent repeat committed while this one waited for the card: replay it (createOrReplay reads it again).
      if (await deps.tokens.findById(id, tx)) return null;
      if (!maySetControls(who, card)) throw forbidden();
      if (card.state !== 'ACTIVE') throw new DomainError('CONFLICT', 'Tokens are provisioned for active cards.', { reason: 'CARD_NOT_ACTIVE', state: card.state });
      if ((await deps.tokens.countLive(card.id, tx)) >= MAX_LIVE_TOKENS_PER_CARD) {
        throw new DomainError('CONFLICT', `A card has at most ${MAX_LIVE_TOKENS_PER_CARD} tokens that are not deleted.`, { reason: 'TOKEN_LIMIT_REACHED' });
      }
      if (await deps.tokens.findByDevice(card.id, input.wallet, input.deviceId, tx)) {
        throw new DomainError('CONFLICT', 'This card already has a token in this wallet on this device.', { reason: 'TOKEN_EXISTS_FOR_DEVICE' });
      }
      const tokenPan = panFromSequence(deps.settingsOf.tokenBin, await deps.cards.nextSequence(tx, deps.settingsOf.tokenBin));
      const token = {
        id, cardId: card.id, tenantId: card.tenantId, wallet: input.wallet, deviceId: input.deviceId, state: 'ACTIVE',
        last4: panParts(tokenPan).last4, tokenIndex: deps.pii.blindIndex(tokenPan, TOKEN_INDEX_CONTEXT), requestHash: hash, createdAt: now,
      };
      return deps.tokens.insert(tx, token, [tokenEvent('cards.token.provisioned', { ...token, customerId: card.customerId }, 'ACTIVE')]);
    },
  });
  return outcome.row;
}
