import type { Identity } from '@baas/auth';
import { DomainError, forbidden, notFound } from '@baas/errors';
import { maySetControls, requireVisibleCard } from '../permissions';
import type { CardRow } from '../store/card-store';
import { cardEvent, controlsJson, isUuidText, parseControlsInput, readControls, requireWithinBounds, type CardDeps } from './card-deps';

/**
 * Replaces a card's spend controls (its holder, or its tenant's client with cards:write; a card
 * the caller may not see is NOT_FOUND). They are checked (BAD_USER_INPUT details.field/reason) and
 * must stay within the tenant's bounds (BAD_USER_INPUT OUTSIDE_TENANT_BOUNDS, details.refusals);
 * nothing is written on a refusal. Setting the same controls again changes nothing. A closed card
 * is CONFLICT CARD_CLOSED. Event cards.card.controls_changed.
 */
export async function setCardControls(deps: CardDeps, who: Identity, cardId: string, input: unknown): Promise<CardRow> {
  if (!isUuidText(cardId)) throw notFound('Card');
  const controls = parseControlsInput(input);
  const seen = requireVisibleCard(who, await deps.cards.findById(cardId.toLowerCase()));
  if (!maySetControls(who, seen)) throw forbidden();
  // Read before the transaction (it holds a connection; a read on another inside it could wait on the pool).
  const bounds = readControls((await deps.settings.get(seen.tenantId)).controls);
  return deps.cards.transaction(async (tx) => {
    const card = (await deps.cards.lock(tx, seen.id))!;
    if (card.state === 'CLOSED') throw new DomainError('CONFLICT', 'The card is closed.', { reason: 'CARD_CLOSED' });
    requireWithinBounds(controls, bounds);
    const json = controlsJson(controls);
    if (json === card.controls) return card;
    return deps.cards.update(tx, card.id, { controls: json }, [cardEvent('cards.card.controls_changed', { ...card, controls: json }, { controls: JSON.parse(json) as unknown })]);
  });
}
