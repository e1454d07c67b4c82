import { responseCodeFor } from '../domain/decline-codes';
import type { AuthorizationStore } from '../store/authorization-store';
import type { CardLookupStore } from '../store/card-lookup-store';
import type { VelocityStore } from '../store/velocity-store';
import { cardEvent, voidPieces, type NetworkDeps, type NetworkLogger } from './network-message-deps';

export type StaleAuthorizationDeps = {
  readonly authorizations: AuthorizationStore;
  readonly velocity: VelocityStore;
  readonly cards: Pick<CardLookupStore, 'byId'>;
  readonly ledger: NetworkDeps['ledger'];
  readonly now?: () => Date;
  readonly logger?: NetworkLogger;
};

/** Past this, a claimed authorisation's decision is not coming (risk and the tenant webhook time out in seconds). */
export const STALE_AUTHORIZATION_MS = 60_000;

/**
 * Recovery for authorisations claimed and never decided (the process died mid-decision): declined 96
 * (SYSTEM_ERROR) first, so a late decision can no longer approve them (decide only writes a PENDING row),
 * then their possible hold 1 voided and their velocity reservation released. A repeat of the message
 * then answers 96. Answers how many were declined.
 */
export async function expireStaleAuthorizations(deps: StaleAuthorizationDeps, limit = 100, staleMs = STALE_AUTHORIZATION_MS): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const stale = await deps.authorizations.stalePending(new Date(now.getTime() - staleMs), limit);
  let declined = 0;
  for (const row of stale) {
    const card = await deps.cards.byId(row.cardId);
    if (!card) continue;
    const code = responseCodeFor('SYSTEM_ERROR');
    const decided = await deps.authorizations.decide(row.id, { state: 'DECLINED', responseCode: code, declineReason: 'SYSTEM_ERROR', approvalCode: null, riskScoreBps: null, decidedBy: 'RECOVERY', holds: 0, expiresAt: null }, [
      cardEvent('cards.authorization.declined', row.id, card, { authorizationId: row.id, amount: row.amount, currency: row.currency, mcc: row.mcc, merchant: row.merchant, responseCode: code, declineReason: 'SYSTEM_ERROR' }),
    ]);
    if (!decided) continue;
    declined += 1;
    await voidPieces(deps, row.id, [1]).catch((error: unknown) =>
      deps.logger?.warn({ authorizationId: row.id, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'could not void a stale card hold: the ledger timeout releases it'),
    );
    await deps.velocity.release(card.id, row.id);
  }
  return declined;
}
