import type { Identity } from '@baas/auth';
import { badInput, DomainError, notFound } from '@baas/errors';
import { needsReissue, transitionCard, type CardEvent as CardStateEvent, type CardState } from '../domain/card-states';
import { requireManageCard, requireVisibleCard } from '../permissions';
import type { CardRow } from '../store/card-store';
import { cardEvent, isUuidText, type CardDeps } from './card-deps';
import { tokenEvent } from './provision-network-token';

const SUBJECTS: Record<CardStateEvent['type'], string> = {
  ACTIVATE: 'cards.card.activated',
  PAUSE: 'cards.card.paused',
  RESUME: 'cards.card.resumed',
  CLOSE: 'cards.card.closed',
};
const TARGET: Record<CardStateEvent['type'], CardState> = { ACTIVATE: 'ACTIVE', PAUSE: 'PAUSED', RESUME: 'ACTIVE', CLOSE: 'CLOSED' };

/** CONFLICT with the refusal's reason (INVALID_TRANSITION, NOT_YET_SHIPPED) and the card's state. */
export const transitionRefused = (reason: string, state: string) => new DomainError('CONFLICT', 'The card cannot make this change in its state.', { reason, state });

/**
 * Activates, pauses, resumes or closes a card (the card's holder, its tenant's client with
 * cards:write, operators; a card the caller may not see is NOT_FOUND). The card's row is locked
 * for the change; a repeat that finds the card already where the event leads answers it unchanged
 * (and writes nothing); a transition the card's state does not allow is CONFLICT. LOST and STOLEN
 * go through reportLostCard, which reissues (BAD_USER_INPUT here). Each change writes its
 * cards.card.* event in its transaction; closing deletes the card's wallet tokens (cards.token.deleted).
 */
export async function changeCardState(deps: CardDeps, who: Identity, id: string, event: CardStateEvent): Promise<CardRow> {
  if (event.type === 'CLOSE' && needsReissue(event.reason)) {
    throw badInput('A lost or stolen card is reported with reportCardLost or reportCardStolen, which reissue it.', { field: 'reason', reason: 'USE_REPORT' });
  }
  if (!isUuidText(id)) throw notFound('Card');
  const now = deps.now?.() ?? new Date();
  return deps.cards.transaction(async (tx) => {
    const card = requireVisibleCard(who, await deps.cards.lock(tx, id.toLowerCase()));
    requireManageCard(who, card);
    if (card.state === TARGET[event.type] && (event.type !== 'CLOSE' || card.closeReason === event.reason)) return card;
    const next = transitionCard({ state: card.state as CardState, form: card.form as 'VIRTUAL' | 'PHYSICAL', fulfilment: card.fulfilment as never }, event);
    if (!next.ok) throw transitionRefused(next.reason, card.state);
    const change = {
      state: next.state,
      ...(event.type === 'ACTIVATE' && !card.activatedAt ? { activatedAt: now } : {}),
      ...(event.type === 'CLOSE' ? { closeReason: event.reason, closedAt: now } : {}),
    };
    const after = { ...card, ...change } as CardRow;
    const extra = event.type === 'CLOSE' ? { closeReason: event.reason } : {};
    const updated = await deps.cards.update(tx, card.id, change, [cardEvent(SUBJECTS[event.type], after, extra)]);
    // A closed card's wallet tokens go with it.
    if (event.type === 'CLOSE') await deps.tokens.deleteLiveOfCard(tx, card.id, (t) => tokenEvent('cards.token.deleted', t, 'DELETED'));
    return updated;
  });
}
