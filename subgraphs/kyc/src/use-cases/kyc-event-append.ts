import { applicationStepEvents, type ApplicationStep } from '../domain/kyc-event-types';
import type { KycEventStore } from '../store/kyc-event-store';
import type { KycDeps } from './kyc-deps';

/** What appending needs: the outbox (absent: events are off, nothing is appended). */
export type KycEventDeps = Pick<KycDeps, 'logger' | 'now'> & { kycEvents?: KycEventStore | null };

/**
 * Appends the domain events of one application version step to the outbox. Call it right after a
 * successful `applications.update(...)`, with the row read before it and the row the update
 * answered: `await appendKycApplicationEvents(deps, app, updated)`. A step that changes no state
 * appends nothing; the ids are derived from (application, version, type), so calling it again for
 * the same step (a retry) stores nothing twice. A store error is retried twice, then thrown.
 */
export async function appendKycApplicationEvents(deps: KycEventDeps, before: Pick<ApplicationStep, 'state'>, after: ApplicationStep): Promise<number> {
  if (!deps.kycEvents) return 0;
  const events = applicationStepEvents(before, after);
  if (events.length === 0) return 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.kycEvents.append(events, deps.now?.() ?? new Date());
    } catch (error) {
      if (attempt >= 3) throw error;
      deps.logger?.warn({ applicationId: after.id, version: after.version, attempt, err: error instanceof Error ? { name: error.name } : String(error) }, 'kyc event append failed, retrying');
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
