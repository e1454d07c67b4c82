import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { cardListScope } from '../permissions';
import type { CardCursor, CardRow, CardStore } from '../store/card-store';
import { isUuidText } from './card-deps';

export type CardPage = { items: CardRow[]; endCursor: string | null; hasNextPage: boolean };

export const CARDS_PAGE = { default: 20, max: 100 } as const;

const encodeCursor = (c: CardRow) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(raw: string): CardCursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !isUuidText(id) || Number.isNaN(createdAt.getTime())) throw badInput('after is not a cursor this query gave.', { field: 'after', reason: 'MALFORMED_CURSOR' });
  return { createdAt, id };
}

/**
 * The caller's cards, newest first: a customer's own, a tenant client's tenant's, any for operators
 * and services (tenantId filters; others may name only their own tenant, FORBIDDEN otherwise).
 * `first` is 1..100 (default 20).
 */
export async function listCards(deps: { cards: Pick<CardStore, 'list'> }, who: Identity, args: { first?: number | null; after?: string | null; tenantId?: string | null }): Promise<CardPage> {
  const first = args.first ?? CARDS_PAGE.default;
  if (!Number.isInteger(first) || first < 1 || first > CARDS_PAGE.max) throw badInput(`first is 1 to ${CARDS_PAGE.max}.`, { field: 'first', reason: 'OUT_OF_RANGE' });
  if (args.tenantId != null && !isUuidText(args.tenantId)) throw badInput('tenantId must be a UUID.', { field: 'tenantId', reason: 'NOT_A_UUID' });
  const { tenantId, customerId } = cardListScope(who, args.tenantId);
  const rows = await deps.cards.list({ tenantId, customerId, first, after: args.after ? decodeCursor(args.after) : null });
  const items = rows.slice(0, first);
  return { items, endCursor: items.length ? encodeCursor(items.at(-1)!) : null, hasNextPage: rows.length > first };
}
