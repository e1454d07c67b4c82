import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { maySeeCard } from '../permissions';
import type { AuthorizationRow } from '../store/authorization-store';
import { isUuidText, type CardDeps } from './card-deps';

/** An authorisation by id: null unless the caller may see its card (its holder, its tenant's clients, operators). */
export async function getCardAuthorization(deps: CardDeps, who: Identity, id: string): Promise<AuthorizationRow | null> {
  if (!deps.network || !isUuidText(id)) return null;
  const row = await deps.network.authorizations.byId(id.toLowerCase());
  return row && maySeeCard(who, row) ? row : null;
}

/** A card's authorisations, newest first (the card was already checked visible by its parent field). */
export async function listCardAuthorizations(deps: CardDeps, card: { id: string }, first: number | null | undefined): Promise<AuthorizationRow[]> {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw badInput('first is 1 to 100.', { field: 'first', reason: 'OUT_OF_RANGE' });
  return deps.network ? deps.network.authorizations.listByCard(card.id, n) : [];
}
