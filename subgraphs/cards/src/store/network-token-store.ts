import type { NetworkToken, PrismaClient } from '../generated/prisma/client';
import { appendCardEvents, type CardEvent } from './card-events';
import type { CardTx } from './card-store';

/** A wallet token as stored (its number exists only as a blind index and last4), with its card's holder. */
export type NetworkTokenRow = NetworkToken & { customerId: string };
export type NewNetworkToken = Pick<NetworkToken, 'id' | 'cardId' | 'tenantId' | 'wallet' | 'deviceId' | 'state' | 'last4' | 'tokenIndex' | 'requestHash' | 'createdAt'>;

type Client = CardTx | PrismaClient;

/** The tokens with their cards' holders (one read for every card). */
async function withHolders(client: Client, tokens: NetworkToken[]): Promise<NetworkTokenRow[]> {
  if (tokens.length === 0) return [];
  const cards = await client.card.findMany({ where: { id: { in: [...new Set(tokens.map((t) => t.cardId))] } }, select: { id: true, customerId: true } });
  const holder = new Map(cards.map((c) => [c.id, c.customerId]));
  return tokens.flatMap((t) => (holder.has(t.cardId) ? [{ ...t, customerId: holder.get(t.cardId)! }] : []));
}

const one = async (client: Client, token: NetworkToken | null): Promise<NetworkTokenRow | null> => (token ? ((await withHolders(client, [token]))[0] ?? null) : null);

/** Every statement on cards.network_token. */
export function createNetworkTokenStore(db: PrismaClient) {
  return {
    async findById(id: string, tx?: CardTx): Promise<NetworkTokenRow | null> {
      const client = tx ?? db;
      return one(client, await client.networkToken.findUnique({ where: { id } }));
    },
    /** The token of a card's wallet on a device (at most one). */
    async findByDevice(cardId: string, wallet: string, deviceId: string, tx?: CardTx): Promise<NetworkTokenRow | null> {
      const client = tx ?? db;
      return one(client, await client.networkToken.findUnique({ where: { cardId_wallet_deviceId: { cardId, wallet, deviceId } } }));
    },
    /** A token's card and state, for the authorisation path (one indexed read, no holder). */
    stateOf(id: string): Promise<{ cardId: string; state: string } | null> {
      return db.networkToken.findUnique({ where: { id }, select: { cardId: true, state: true } });
    },
    /** How many of the card's tokens are not deleted. */
    countLive(cardId: string, tx?: CardTx): Promise<number> {
      return (tx ?? db).networkToken.count({ where: { cardId, state: { not: 'DELETED' } } });
    },
    async listByCards(cardIds: readonly string[]): Promise<NetworkTokenRow[]> {
      return withHolders(db, await db.networkToken.findMany({ where: { cardId: { in: [...cardIds] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }));
    },
    /**
     * Deletes the card's tokens that are not deleted yet (its card closed), with one event each made by
     * `event`; answers the tokens deleted.
     */
    async deleteLiveOfCard(tx: CardTx, cardId: string, event: (token: NetworkTokenRow) => CardEvent): Promise<NetworkTokenRow[]> {
      const live = await withHolders(tx, await tx.networkToken.findMany({ where: { cardId, state: { not: 'DELETED' } } }));
      if (live.length === 0) return [];
      await tx.networkToken.updateMany({ where: { id: { in: live.map((t) => t.id) } }, data: { state: 'DELETED' } });
      await appendCardEvents(tx, live.map(event));
      return live;
    },
    async insert(tx: CardTx, token: NewNetworkToken, events: readonly CardEvent[]): Promise<NetworkTokenRow> {
      const row = await tx.networkToken.create({ data: token });
      await appendCardEvents(tx, events);
      return (await one(tx, row))!;
    },
    /** Moves a token from one of `from` to `to`; null when it was not in one of them (a concurrent change won). */
    async setState(tx: CardTx, id: string, from: readonly string[], to: string, events: readonly CardEvent[]): Promise<NetworkTokenRow | null> {
      const moved = await tx.networkToken.updateMany({ where: { id, state: { in: [...from] } }, data: { state: to } });
      if (moved.count === 0) return null;
      await appendCardEvents(tx, events);
      return one(tx, await tx.networkToken.findUnique({ where: { id } }));
    },
  };
}

export type NetworkTokenStore = ReturnType<typeof createNetworkTokenStore>;
