import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, requestFingerprint } from '@baas/idempotency';
import { challengeExpiry, hashChallengeCode, newChallengeCode } from '../domain/three-ds';
import { mayAdvanceFulfilment, maySeeCard, requireVisibleCard } from '../permissions';
import type { CardTx } from '../store/card-store';
import type { ChallengeRow } from '../store/challenge-store';
import { requireUuid } from './card-deps';
import { challengeEvent, type ChallengeDeps } from './challenge-deps';

export const CREATE_CHALLENGE_FINGERPRINT_KIND = 'cards.create-card-challenge/v1';
const MONEY = /^[1-9]\d{0,17}$/;
const MERCHANT = /^[\x20-\x7e]{1,40}$/;

export type CreateCardChallengeInput = { id: string; cardId: string; amount: string; merchant: string };

/**
 * Sandbox ACS: the card network asks the issuer to authenticate an online purchase (card, amount,
 * merchant) with 3-D Secure. Operators, or a sandbox tenant's client holding cards:write (FORBIDDEN
 * otherwise; a card the caller may not see is NOT_FOUND); the card must be ACTIVE (CONFLICT
 * CARD_NOT_ACTIVE). Creates a PENDING challenge whose 6-digit code is stored only as a keyed hash and
 * sent to the cardholder before the row commits (a failed send creates nothing), valid 5 minutes.
 * `input.id` is the challenge id and the idempotency key: a repeat answers the same challenge and sends
 * nothing again; another request under it is IDEMPOTENCY_KEY_REUSED. Event cards.challenge.created.
 */
export async function createCardChallenge(deps: ChallengeDeps, who: Identity, input: CreateCardChallengeInput): Promise<ChallengeRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  const cardId = requireUuid(input.cardId, 'cardId');
  if (!MONEY.test(input.amount)) throw badInput('amount is a positive whole number of minor units.', { field: 'amount', reason: 'MALFORMED_AMOUNT' });
  if (typeof input.merchant !== 'string' || !MERCHANT.test(input.merchant)) throw badInput('merchant is 1 to 40 printable characters.', { field: 'merchant', reason: 'MALFORMED_MERCHANT' });
  const amount = BigInt(input.amount);
  const hash = requestFingerprint(CREATE_CHALLENGE_FINGERPRINT_KIND, { cardId, amount: input.amount, merchant: input.merchant });
  const outcome = await createOrReplay<ChallengeRow, CardTx>({
    hash,
    storedHash: (row) => row.requestHash,
    scope: (row) => maySeeCard(who, row),
    outOfScope: () => forbidden(),
    transaction: (work) => deps.cards.transaction(work),
    find: (tx) => deps.challenges.findById(id, tx),
    insert: async (tx) => {
      const card = requireVisibleCard(who, await deps.cards.lock(tx, cardId));
      if (await deps.challenges.findById(id, tx)) return null;
      if (!deps.settingsOf.sandbox || !mayAdvanceFulfilment(who, card, await deps.tenantSandbox(card.tenantId))) throw forbidden();
      if (card.state !== 'ACTIVE') throw new DomainError('CONFLICT', 'Only an active card is authenticated.', { reason: 'CARD_NOT_ACTIVE', state: card.state });
      const code = newChallengeCode();
      const expiresAt = challengeExpiry(now);
      const row = await deps.challenges.insert(
        tx,
        { id, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, amount, currency: card.currency, merchant: input.merchant, state: 'PENDING', codeHash: hashChallengeCode(deps.codeKey, id, code), expiresAt, requestHash: hash, createdAt: now },
        [],
      );
      await deps.challenges.appendEvents(tx, [challengeEvent('cards.challenge.created', row, { last4: card.last4, expiresAt: expiresAt.toISOString() })]);
      // Sent inside the transaction: a send that fails leaves no challenge nobody got a code for.
      await deps.codes.send({ tenantId: card.tenantId, customerId: card.customerId, challengeId: id, code, expiresAt, last4: card.last4, merchant: input.merchant, amount, currency: card.currency });
      return row;
    },
  });
  return outcome.row;
}
