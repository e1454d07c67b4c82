import { requireIdentity, type Identity } from '@baas/auth';
import { isPlatform } from '@baas/authz';
import { forbidden } from '@baas/errors';
import { maySeeCard } from '../permissions';
import type { CardRow } from '../store/card-store';
import { isUuidText } from './card-deps';

export type GetCardDeps = { cards: { load(id: string): Promise<CardRow | null> } };

/**
 * A card by id, if the caller may see it (its holder, its tenant's clients, operators, internal
 * services): null when there is none for operators and services; FORBIDDEN for anyone else whether
 * or not it exists (ids cannot be probed; the platform's read rule, as payments' orders). An id
 * that is not a UUID is never read.
 */
export async function getCard(deps: GetCardDeps, identity: Identity | null, id: string): Promise<CardRow | null> {
  const who = requireIdentity(identity);
  const card = isUuidText(id) ? await deps.cards.load(id.toLowerCase()) : null;
  if (card && maySeeCard(who, card)) return card;
  if (isPlatform(who)) return null;
  throw forbidden();
}
