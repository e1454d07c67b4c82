import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { CardStore } from './store/card-store';

/** The per-request loaders of the cards subgraph: one batched read per entity per request. */
export function createCardsLoaders(cards: CardStore) {
  return {
    card: createByIdLoader((ids: string[]) => cards.findByIds(ids)),
  };
}

export type CardsLoaders = ReturnType<typeof createCardsLoaders>;

/** What the cards resolvers receive: the request's identity and its loaders. */
export type CardsContext = SubgraphContext & { loaders: CardsLoaders };
