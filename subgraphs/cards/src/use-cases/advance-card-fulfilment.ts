import type { Identity } from '@baas/auth';
import { DomainError, forbidden, notFound } from '@baas/errors';
import { FULFILMENT_TRANSITIONS, transitionFulfilment, type FulfilmentEvent, type FulfilmentState } from '../domain/card-states';
import { mayAdvanceFulfilment, requireVisibleCard } from '../permissions';
import type { CardRow } from '../store/card-store';
import { cardEvent, isUuidText, type CardDeps } from './card-deps';
import { transitionRefused } from './change-card-state';

/**
 * Sandbox: a carrier event on a physical card's fulfilment (ORDERED -> SHIPPED -> DELIVERED |
 * RETURNED), by operators or a sandbox tenant's client with cards:write, in a deployment with
 * SANDBOX on (FORBIDDEN otherwise). A repeat that finds the card already there answers it
 * unchanged; a virtual card is CONFLICT NOT_PHYSICAL. Event cards.card.fulfilment_changed.
 */
export async function advanceCardFulfilment(deps: CardDeps, who: Identity, id: string, event: FulfilmentEvent): Promise<CardRow> {
  if (!isUuidText(id)) throw notFound('Card');
  const visible = requireVisibleCard(who, await deps.cards.findById(id.toLowerCase()));
  if (!deps.settingsOf.sandbox || !mayAdvanceFulfilment(who, visible, await deps.tenantSandbox(visible.tenantId))) throw forbidden();
  return deps.cards.transaction(async (tx) => {
    const card = (await deps.cards.lock(tx, visible.id))!;
    if (card.form !== 'PHYSICAL' || !card.fulfilment) throw new DomainError('CONFLICT', 'Only physical cards are fulfilled.', { reason: 'NOT_PHYSICAL' });
    const from = card.fulfilment as FulfilmentState;
    // A repeat: the card already reached where this event leads.
    const leadsTo = Object.values(FULFILMENT_TRANSITIONS).map((t) => t[event]).find(Boolean);
    if (leadsTo === from) return card;
    const next = transitionFulfilment(from, event);
    if (!next.ok) throw transitionRefused(next.reason, from);
    return deps.cards.update(tx, card.id, { fulfilment: next.fulfilment }, [cardEvent('cards.card.fulfilment_changed', { ...card, fulfilment: next.fulfilment }, { fulfilment: next.fulfilment, event })]);
  });
}
