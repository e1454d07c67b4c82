import type { Identity } from '@baas/auth';
import { assertStepUpOrDefault } from '@baas/authz';
import { DomainError, forbidden, notFound } from '@baas/errors';
import { deriveCvv } from '../domain/cvv';
import { parseExpiry } from '../domain/expiry';
import { mayReveal, requireVisibleCard } from '../permissions';
import { panSealContext } from '../store/pan-index';
import { auditActor, isUuidText, type CardDeps } from './card-deps';

/** The step-up action a reveal needs (tenants may set their own rule for it). */
export const REVEAL_STEP_UP_ACTION = 'CARD_PAN_REVEAL';
/** The audit trail's action for a reveal. */
export const CARD_REVEALED_ACTION = 'cards.card.revealed';

export type CardReveal = { cardId: string; pan: string; cvv: string; expiry: { month: number; year: number } };

/**
 * A card's full PAN, CVV (derived with the CVV key, never stored) and expiry, for its holder alone:
 * a card the caller may not see is NOT_FOUND, one they see but do not hold (a tenant's client, an
 * operator) FORBIDDEN; the holder needs a passkey confirmation within the tenant's CARD_PAN_REVEAL
 * rule, or `revealStepUpSeconds` (STEP_UP_REQUIRED otherwise, audited as a denial by the server). A
 * closed card is not revealed (CONFLICT CARD_CLOSED). Each reveal is audited: who, which card,
 * when, its last4; never the PAN.
 */
export async function revealCard(deps: CardDeps, who: Identity, id: string): Promise<CardReveal> {
  if (!isUuidText(id)) throw notFound('Card');
  const card = requireVisibleCard(who, await deps.cards.findById(id.toLowerCase()));
  if (!mayReveal(who, card)) throw forbidden('Only the cardholder may reveal a card.');
  assertStepUpOrDefault(who, REVEAL_STEP_UP_ACTION, { maxAgeSeconds: deps.settingsOf.revealStepUpSeconds }, Math.floor((deps.now?.() ?? new Date()).getTime() / 1000));
  if (card.state === 'CLOSED') throw new DomainError('CONFLICT', 'The card is closed.', { reason: 'CARD_CLOSED' });
  const sealed = await deps.vault.sealedPanOf(card.id);
  if (!sealed) throw new Error(`card ${card.id} has no vault entry`);
  const pan = deps.pii.decrypt(sealed.sealedPan, panSealContext(card.id));
  const cvv = deriveCvv(deps.cvvKey, pan, card.expiry);
  const expiry = parseExpiry(card.expiry);
  if (!expiry.ok) throw new Error(`card ${card.id} has a malformed expiry`);
  deps.audit?.record({
    action: CARD_REVEALED_ACTION,
    outcome: 'success',
    actor: auditActor(who),
    target: { type: 'Card', id: card.id },
    tenantId: card.tenantId,
    details: { last4: card.last4 },
    ...(deps.now ? { at: deps.now() } : {}),
  });
  return { cardId: card.id, pan, cvv, expiry: { month: expiry.value.month, year: expiry.value.year } };
}
