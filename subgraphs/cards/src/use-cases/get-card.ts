import type { Identity } from '@baas/auth';
import { unauthenticated } from '@baas/errors';
import { maySeeCard } from '../permissions';
import type { CardRow } from '../store/card-store';
import { isUuidText } from './card-deps';

export type GetCardDeps = { cards: { load(id: string): Promise<CardRow | null> } };

/**
 * A card by id, when the caller may see it (its holder, its tenant's clients, operators, internal
 * services): null otherwise, the same answer as for an id that does not exist, so nothing tells
 * one tenant about another's cards. An id that is not a UUID is null without a read.
 */
export async function getCard(deps: GetCardDeps, identity: Identity | null, id: string): Promise<CardRow | null> {
  if (!identity) throw unauthenticated();
  if (!isUuidText(id)) return null;
  const card = await deps.cards.load(id.toLowerCase());
  return card && maySeeCard(identity, card) ? card : null;
}
