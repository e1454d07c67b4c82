import type { Identity } from '@baas/auth';
import { DomainError, notFound } from '@baas/errors';
import { transitionCard, type CardState } from '../domain/card-states';
import { requireManageCard, requireVisibleCard } from '../permissions';
import type { CardRow } from '../store/card-store';
import { cardEvent, derivedId, isUuidText, type CardDeps } from './card-deps';
import { transitionRefused } from './change-card-state';
import { tokenEvent } from './provision-network-token';
import { writeNewCard } from './issue-card';

/** The id of the card that replaces `cardId`: derived, so every repeat of a report names the same one. */
export const replacementCardId = (cardId: string): string => derivedId('cards.card.reissue', cardId);

/**
 * Closes a lost or stolen card and issues its replacement in one transaction: a new PAN, the same
 * account, form and controls (`replacesCardId` on the new card, `replacedById` on the old). Who may:
 * as changeCardState. A repeat (the card already closed for this reason and replaced) answers the
 * same replacement and writes nothing; a card closed otherwise is CONFLICT. Events: cards.card.closed
 * (the old card, closeReason) and cards.card.reissued (the new one, replacesCardId); the old card's
 * wallet tokens are deleted (cards.token.deleted): a wallet provisions the new card afresh. On an
 * account that is CLOSED no replacement is issued: the card is closed and answered itself.
 */
export async function reportLostCard(deps: CardDeps, who: Identity, id: string, reason: 'LOST' | 'STOLEN'): Promise<CardRow> {
  if (!isUuidText(id)) throw notFound('Card');
  const now = deps.now?.() ?? new Date();
  const seen = requireVisibleCard(who, await deps.cards.findById(id.toLowerCase()));
  // A closed account gets no new card: the lost one is closed all the same (answered, with no replacement).
  const reissue = (await deps.accounts.account(seen.accountId))?.status !== 'CLOSED';
  return deps.cards.transaction(async (tx) => {
    const card = requireVisibleCard(who, await deps.cards.lock(tx, id.toLowerCase()));
    requireManageCard(who, card);
    if (card.state === 'CLOSED' && card.closeReason === reason) {
      const replacement = card.replacedById ? await deps.cards.findById(card.replacedById, tx) : null;
      if (replacement) return replacement;
      if (!card.replacedById && !reissue) return card;
    }
    const next = transitionCard({ state: card.state as CardState, form: card.form as 'VIRTUAL' | 'PHYSICAL', fulfilment: card.fulfilment as never }, { type: 'CLOSE', reason });
    if (!next.ok) throw transitionRefused(next.reason, card.state);
    if (card.replacedById) throw new DomainError('CONFLICT', 'The card was already replaced.', { reason: 'ALREADY_REPLACED' });
    if (!reissue) {
      const closing = { state: 'CLOSED', closeReason: reason, closedAt: now };
      const closed = await deps.cards.update(tx, card.id, closing, [cardEvent('cards.card.closed', { ...card, ...closing } as CardRow, { closeReason: reason })]);
      await deps.tokens.deleteLiveOfCard(tx, card.id, (t) => tokenEvent('cards.token.deleted', t, 'DELETED'));
      return closed;
    }
    const replacementId = replacementCardId(card.id);
    const replacement = await writeNewCard(
      deps,
      tx,
      {
        id: replacementId,
        tenantId: card.tenantId,
        customerId: card.customerId,
        accountId: card.accountId,
        ledgerAccountId: card.ledgerAccountId,
        currency: card.currency,
        form: card.form as 'VIRTUAL' | 'PHYSICAL',
        controls: card.controls,
        requestHash: card.requestHash,
        replacesCardId: card.id,
      },
      now,
      () => [],
    );
    const change = { state: 'CLOSED', closeReason: reason, closedAt: now, replacedById: replacementId };
    await deps.cards.update(tx, card.id, change, [
      cardEvent('cards.card.closed', { ...card, ...change } as CardRow, { closeReason: reason, replacedById: replacementId }),
      cardEvent('cards.card.reissued', replacement, { replacesCardId: card.id, reason }),
    ]);
    await deps.tokens.deleteLiveOfCard(tx, card.id, (t) => tokenEvent('cards.token.deleted', t, 'DELETED'));
    return replacement;
  });
}
