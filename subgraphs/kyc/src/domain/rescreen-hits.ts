import type { ScreeningHit } from './screening/screen-name';
import { kycEventId, type KycEvent } from './kyc-event-types';

/** The active list versions a rescreen ran against, as one stable key: `OFAC_SDN@3,PEP@2,UN_CONSOLIDATED@1`. */
export function rescreenListVersion(active: readonly { listId: string; version: number }[]): string {
  return [...active].sort((a, b) => (a.listId < b.listId ? -1 : a.listId > b.listId ? 1 : 0)).map((v) => `${v.listId}@${v.version}`).join(',');
}

/** One review item per (list version, tenant, customer): a repeat of the same rescreen finds it already there. */
export const rescreenReviewId = (listVersion: string, tenantId: string, customerId: string): string => kycEventId('kyc.rescreen.review', listVersion, tenantId, customerId);

/** The hits a rescreen reports: at or above `threshold`, best first. */
export function reportableHits(hits: readonly ScreeningHit[], threshold: number): ScreeningHit[] {
  return hits.filter((h) => h.score >= threshold).sort((a, b) => b.score - a.score);
}

/** Basis points of a 0..1 score (integers in events, as everywhere). */
export const scoreBps = (score: number): number => Math.round(Math.max(0, Math.min(1, score)) * 10_000);

/**
 * kyc.rescreen.hit for a review item: ids, the list version, the lists' categories and the best
 * score. Never the applicant's name or date of birth, nor the listed party's name or source id.
 */
export function rescreenHitEvent(item: { reviewId: string; listVersion: string; tenantId: string; customerId: string; applicationId: string; hits: readonly ScreeningHit[]; at: Date }): KycEvent {
  const lists = [...new Set(item.hits.map((h) => h.list))].sort();
  const categories = [...new Set(item.hits.map((h) => h.category))].sort();
  return {
    id: kycEventId('kyc.rescreen.hit', item.reviewId),
    type: 'kyc.rescreen.hit',
    aggregateId: item.customerId,
    version: 0,
    occurredAt: item.at,
    data: {
      tenantId: item.tenantId,
      customerId: item.customerId,
      applicationId: item.applicationId,
      state: 'APPROVED',
      reasons: ['SCREENING_HIT'],
      reviewId: item.reviewId,
      listVersion: item.listVersion,
      lists,
      categories,
      scoreBps: scoreBps(item.hits[0]?.score ?? 0),
    },
  };
}
