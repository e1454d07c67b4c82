import { applicationStepEvents, lastStepBefore } from '../domain/kyc-event-types';
import type { KycEventStepStore } from '../store/kyc-event-steps';
import type { KycEventStore } from '../store/kyc-event-store';

export type KycEventRepairOptions = {
  steps: KycEventStepStore;
  events: KycEventStore;
  /** How far back a step is looked at (default 15 minutes). */
  windowMs?: number;
  /** Steps younger than this are left to the use case's own append (default 5 s). */
  graceMs?: number;
  /** Applications looked at per call (default 500). */
  limit?: number;
  now?: () => Date;
};

/**
 * Appends again the events of recent state steps whose append may have been lost (a process that
 * died between the application's version step and the append: FerretDB has no transaction to
 * hold both). The ids are the same as the use case's, so an event already there is left as it
 * is. Only a step that is still the application's latest write can be derived (see lastStepBefore).
 * Returns how many events were missing. The relay calls it (option `repair`) while it holds its lease.
 */
export function createKycEventRepair(opts: KycEventRepairOptions): () => Promise<number> {
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const graceMs = opts.graceMs ?? 5000;
  const limit = opts.limit ?? 500;
  return async () => {
    const now = opts.now?.() ?? new Date();
    const rows = await opts.steps.recentSteps(new Date(now.getTime() - windowMs), new Date(now.getTime() - graceMs), limit);
    let added = 0;
    for (const row of rows) {
      const before = lastStepBefore(row);
      if (before) added += await opts.events.append(applicationStepEvents(before, row), now);
    }
    return added;
  };
}
