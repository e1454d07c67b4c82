import { DomainError } from '@baas/errors';
import type { CardDeps, ChallengeCodeSender } from './card-deps';
import type { ChallengeRow, ChallengeStore } from '../store/challenge-store';
import type { CardEvent } from '../store/card-events';
import { randomUUID } from 'node:crypto';

export type { ChallengeCodeNotification, ChallengeCodeSender } from './card-deps';

/** What the challenge use cases need: the card use cases' deps, the challenge store, the code key and sender. */
export type ChallengeDeps = Pick<CardDeps, 'cards' | 'settingsOf' | 'tenantSandbox' | 'now'> & {
  challenges: ChallengeStore;
  /** The key codes are hashed under (domain/three-ds challengeCodeKey). */
  codeKey: Uint8Array;
  codes: ChallengeCodeSender;
};

/** A cards.challenge.* event: the challenge, its card, tenant and holder, amount and merchant; never the code. */
export function challengeEvent(subject: string, c: ChallengeRow, extra: Record<string, unknown> = {}): CardEvent {
  return {
    eventId: randomUUID(),
    subject,
    data: { challengeId: c.id, cardId: c.cardId, tenantId: c.tenantId, customerId: c.customerId, amount: c.amount, currency: c.currency, merchant: c.merchant, ...extra },
  };
}

/**
 * The challenge deps from the card use cases' deps, once the composition root gives them the challenge
 * store, the code key and the code sender; until then the challenge mutations answer SERVICE_UNAVAILABLE.
 */
export function challengeDepsOf(deps: CardDeps): ChallengeDeps {
  const wired = deps as CardDeps & Partial<Pick<ChallengeDeps, 'challenges' | 'codeKey' | 'codes'>>;
  if (!wired.challenges || !wired.codeKey || !wired.codes) throw new DomainError('SERVICE_UNAVAILABLE', '3-D Secure challenges are not available in this deployment.');
  return { ...deps, challenges: wired.challenges, codeKey: wired.codeKey, codes: wired.codes };
}
