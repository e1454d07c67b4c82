import { createByIdLoader, type SubgraphContext } from '@baas/server';
import DataLoader from 'dataloader';
import type { CardStore } from './store/card-store';
import type { CardSettingsStore, TenantCardSettingsRow } from './store/card-settings-store';
import type { NetworkTokenRow, NetworkTokenStore } from './store/network-token-store';
import type { CardDeps } from './use-cases/card-deps';

/** The per-request loaders of the cards subgraph: one batched read per entity per request. */
export function createCardsLoaders(stores: { cards: Pick<CardStore, 'findByIds'>; settings: Pick<CardSettingsStore, 'get'>; tokens: Pick<NetworkTokenStore, 'listByCards'> }) {
  return {
    card: createByIdLoader((ids: string[]) => stores.cards.findByIds(ids)),
    /** A tenant's card settings (defaults when never set). */
    settings: new DataLoader<string, TenantCardSettingsRow>((tenantIds) => Promise.all(tenantIds.map((t) => stores.settings.get(t)))),
    /** A card's wallet tokens. */
    tokensOfCard: new DataLoader<string, NetworkTokenRow[]>(async (cardIds) => {
      const rows = await stores.tokens.listByCards(cardIds);
      return cardIds.map((id) => rows.filter((t) => t.cardId === id));
    }),
  };
}

export type CardsLoaders = ReturnType<typeof createCardsLoaders>;

/** The shared deps of the card use cases, less the request's audit trail (added per request). */
export type CardsDeps = Omit<CardDeps, 'audit'>;

/** What the cards resolvers receive: the request's identity, its loaders and the shared deps. */
export type CardsContext = SubgraphContext & { loaders: CardsLoaders; cards: CardDeps };
