import type { Identity } from '@baas/auth';
import { DomainError, notFound } from '@baas/errors';
import { requireManageCard, requireVisibleCard } from '../permissions';
import type { NetworkTokenRow } from '../store/network-token-store';
import { isUuidText, type CardDeps } from './card-deps';
import { tokenEvent } from './provision-network-token';

export type NetworkTokenAction = 'SUSPEND' | 'RESUME' | 'DELETE';

const MOVES: Record<NetworkTokenAction, { from: readonly string[]; to: string; subject: string }> = {
  SUSPEND: { from: ['ACTIVE'], to: 'SUSPENDED', subject: 'cards.token.suspended' },
  RESUME: { from: ['SUSPENDED'], to: 'ACTIVE', subject: 'cards.token.resumed' },
  DELETE: { from: ['ACTIVE', 'SUSPENDED'], to: 'DELETED', subject: 'cards.token.deleted' },
};

/**
 * Suspends, resumes or deletes a wallet token without touching its card (the card's holder, its
 * tenant's client with cards:write, operators; a token the caller may not see is NOT_FOUND). A
 * repeat that finds the token already there answers it unchanged; a move its state does not allow
 * (a deleted token, resuming on a card that is not ACTIVE) is CONFLICT. Event cards.token.<move>.
 */
export async function changeNetworkToken(deps: CardDeps, who: Identity, id: string, action: NetworkTokenAction): Promise<NetworkTokenRow> {
  if (!isUuidText(id)) throw notFound('NetworkToken');
  return deps.cards.transaction(async (tx) => {
    const token = await deps.tokens.findById(id.toLowerCase(), tx);
    if (!token) throw notFound('NetworkToken');
    const card = await deps.cards.lock(tx, token.cardId);
    if (!card) throw notFound('NetworkToken');
    requireVisibleCard(who, card);
    requireManageCard(who, card);
    const move = MOVES[action];
    if (token.state === move.to) return token;
    if (!move.from.includes(token.state)) throw new DomainError('CONFLICT', 'The token cannot make this change in its state.', { reason: 'INVALID_TRANSITION', state: token.state });
    if (action === 'RESUME' && card.state !== 'ACTIVE') throw new DomainError('CONFLICT', 'The card is not active.', { reason: 'CARD_NOT_ACTIVE', state: card.state });
    const moved = await deps.tokens.setState(tx, token.id, move.from, move.to, [tokenEvent(move.subject, token, move.to)]);
    if (!moved) throw new DomainError('CONFLICT', 'The token changed meanwhile: try again.', { reason: 'CONCURRENT_CHANGE' });
    return moved;
  });
}
