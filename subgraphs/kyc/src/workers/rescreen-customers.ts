import type { Logger } from '@baas/observability';
import { rescreenHitEvent, rescreenListVersion, rescreenReviewId, reportableHits } from '../domain/rescreen-hits';
import { buildScreeningIndex, SCREENING_MATCH_THRESHOLD, screenName, type ScreeningIndex } from '../domain/screening/screen-name';
import type { ApplicationStore } from '../store/application-store';
import type { KycEventStore } from '../store/kyc-event-store';
import type { RescreenApprovedApplications } from '../store/rescreen-approved-applications';
import type { RescreenStore } from '../store/rescreen-store';
import type { SanctionsListStore } from '../store/sanctions-list-store';

export type RescreenDeps = {
  lists: Pick<SanctionsListStore, 'activeVersions' | 'loadActiveEntries'>;
  /** Only the existing read (findByIds): the applicant is opened from the vault there. */
  applications: Pick<ApplicationStore, 'findByIds'>;
  rescreen: RescreenStore;
  /** Pages the APPROVED application ids (createRescreenApprovedApplications). */
  approved: RescreenApprovedApplications;
  /** The event outbox (kyc.rescreen.hit); null: review items only. */
  kycEvents: KycEventStore | null;
  /** A hit at or above it is recorded (default SCREENING_MATCH_THRESHOLD). */
  threshold?: number;
  /** Applications read per page (default 200). */
  pageSize?: number;
  logger?: Logger;
  now?: () => Date;
};

export type RescreenResult = {
  listVersion: string;
  /** DONE: this call finished the run; ALREADY_DONE: the list version was rescreened before; NO_LISTS: nothing imported. */
  status: 'DONE' | 'ALREADY_DONE' | 'NO_LISTS';
  screened: number;
  hits: number;
  newReviews: number;
};

/** The active versions and an index of exactly their entries (read again if an import lands in between). */
async function loadIndex(lists: RescreenDeps['lists']): Promise<{ listVersion: string; index: ScreeningIndex } | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = rescreenListVersion(await lists.activeVersions());
    if (before === '') return null;
    const entries = await lists.loadActiveEntries();
    if (rescreenListVersion(await lists.activeVersions()) === before) return { listVersion: before, index: buildScreeningIndex(entries) };
  }
  throw new Error('sanctions lists kept changing during the rescreen; it runs again after the next import');
}

/**
 * Re-screens every APPROVED applicant against the active sanctions and PEP list versions (run it
 * when an import reports `changed: true`). A hit at or above the threshold becomes a review item
 * (kyc_rescreen_reviews) and a kyc.rescreen.hit event (ids, list version, score: no names).
 * Idempotent per (list version, customer): review and event ids derive from them, a finished run of
 * a list version is not repeated, and a run that died resumes after the last page it recorded.
 * Nothing of an applicant is logged.
 */
export async function rescreenCustomers(deps: RescreenDeps): Promise<RescreenResult> {
  const threshold = deps.threshold ?? SCREENING_MATCH_THRESHOLD;
  const pageSize = deps.pageSize ?? 200;
  const now = () => deps.now?.() ?? new Date();
  const loaded = await loadIndex(deps.lists);
  if (!loaded) return { listVersion: '', status: 'NO_LISTS', screened: 0, hits: 0, newReviews: 0 };
  const { listVersion, index } = loaded;
  const previous = await deps.rescreen.findRun(listVersion);
  if (previous?.finishedAt) return { listVersion, status: 'ALREADY_DONE', screened: previous.screened, hits: previous.hits, newReviews: 0 };
  const run = previous ?? (await deps.rescreen.startRun(listVersion, now()));

  let after = run.lastApplicationId;
  const total = { screened: 0, hits: 0, newReviews: 0 };
  for (;;) {
    const ids = await deps.approved.approvedApplicationIds(after, pageSize);
    if (ids.length === 0) break;
    let pageHits = 0;
    let pageScreened = 0;
    for (const app of await deps.applications.findByIds(ids)) {
      if (app.state !== 'APPROVED') continue;
      pageScreened += 1;
      const { fullName, dateOfBirth, nationality } = app.applicant;
      const hits = reportableHits(screenName(index, { fullName, dateOfBirth, ...(nationality ? { country: nationality } : {}), kind: 'INDIVIDUAL' }, { threshold }), threshold);
      if (hits.length === 0) continue;
      pageHits += 1;
      const at = now();
      const reviewId = rescreenReviewId(listVersion, app.tenantId, app.customerId);
      const inserted = await deps.rescreen.insertReview({ _id: reviewId, tenantId: app.tenantId, customerId: app.customerId, applicationId: app.id, listVersion, status: 'OPEN', hits, bestScore: hits[0]!.score, createdAt: at });
      if (inserted) total.newReviews += 1;
      // Appended even when the review was there already: a run that died between the two writes.
      await deps.kycEvents?.append([rescreenHitEvent({ reviewId, listVersion, tenantId: app.tenantId, customerId: app.customerId, applicationId: app.id, hits, at })], at);
    }
    total.hits += pageHits;
    total.screened += pageScreened;
    after = ids[ids.length - 1]!;
    await deps.rescreen.recordProgress(listVersion, after, pageScreened, pageHits);
  }
  await deps.rescreen.finishRun(listVersion, now());
  deps.logger?.info({ listVersion, screened: total.screened, hits: total.hits, newReviews: total.newReviews }, 'kyc rescreen finished');
  return { listVersion, status: 'DONE', ...total };
}

/** After `importSanctionsFiles`: rescreens when any list changed, otherwise does nothing (null). */
export async function rescreenAfterImport(deps: RescreenDeps, results: readonly { changed: boolean }[]): Promise<RescreenResult | null> {
  return results.some((r) => r.changed) ? rescreenCustomers(deps) : null;
}
