import type { Identity } from '@baas/auth';
import { isUuid, requireInternal } from '@baas/server';
import type { CardRow } from '../store/card-store';

export type GetCardDeps = { cards: { load(id: string): Promise<CardRow | null> } };

/**
 * A card by id. Until the cards issue defines customer access, only operators and internal
 * services may read (UNAUTHENTICATED / FORBIDDEN otherwise, before any read); an id that is not a
 * UUID is absent (null) without a read.
 */
export async function getCard(deps: GetCardDeps, identity: Identity | null, id: string): Promise<CardRow | null> {
  requireInternal(identity);
  return isUuid(id) ? deps.cards.load(id) : null;
}
