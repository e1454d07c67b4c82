import { createHash } from 'node:crypto';
import type { ApplicationState } from './application-states';
import { KYC_LEVEL_VERIFIED } from './kyc-level';

/**
 * KYC's domain events (pure). Data carries ids, states and reason codes only: never the applicant's
 * name, CPF or date of birth, document contents, or a screening hit's listed name.
 */
export const KYC_EVENT_TYPES = [
  'kyc.application.submitted',
  'kyc.application.approved',
  'kyc.application.denied',
  'kyc.application.needs_documents',
  'kyc.application.manual_review',
  'kyc.review.decided',
  'kyc.level.changed',
  'kyc.rescreen.hit',
] as const;

export type KycEventType = (typeof KYC_EVENT_TYPES)[number];

/** What every KYC event's data has; webhooks routes on `tenantId`. */
export type KycEventData = {
  tenantId: string;
  customerId: string;
  applicationId: string;
  state: ApplicationState;
  reasons: string[];
  [more: string]: unknown;
};

/** One event as appended to the outbox. `aggregateId`/`version` order one aggregate's events. */
export type KycEvent = { id: string; type: KycEventType; aggregateId: string; version: number; occurredAt: Date; data: KycEventData };

/**
 * A deterministic event id (a UUID, as webhooks requires): the same step always gives the same id,
 * so appending it twice stores it once and JetStream drops a republish (msgID).
 */
export function kycEventId(...parts: readonly (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  // RFC 9562 version 8 (custom), variant 10xx.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const STATE_EVENT: Partial<Record<ApplicationState, KycEventType>> = {
  SUBMITTED: 'kyc.application.submitted',
  APPROVED: 'kyc.application.approved',
  DENIED: 'kyc.application.denied',
  NEEDS_DOCUMENTS: 'kyc.application.needs_documents',
  MANUAL_REVIEW: 'kyc.application.manual_review',
};

/** The part of an application row a state step's events are made of (no applicant). */
export type ApplicationStep = {
  id: string;
  tenantId: string;
  customerId: string;
  state: ApplicationState;
  version: number;
  updatedAt: Date;
  decision: { outcome: string; reasons: string[]; by: 'SYSTEM' | 'OPERATOR'; operator: string | null; at: Date } | null;
};

/** The KYC level an approved application gives. */
const LEVEL_OF_APPROVAL = KYC_LEVEL_VERIFIED;

/**
 * The events of one version step of an application, from the row read before it and the row the
 * update answered (`after.version` names the step). No state change (a processor claim, a document,
 * an erasure), or a step to PROCESSING: none. An operator's decision adds kyc.review.decided; an
 * approval adds kyc.level.changed, whose id is per customer and level (a level is reached once, so
 * a second approval of the same customer appends nothing new).
 */
export function applicationStepEvents(before: Pick<ApplicationStep, 'state'>, after: ApplicationStep): KycEvent[] {
  if (before.state === after.state) return [];
  const type = STATE_EVENT[after.state];
  if (!type) return [];
  const reasons = after.state === 'SUBMITTED' ? [] : [...(after.decision?.reasons ?? [])];
  const base = { tenantId: after.tenantId, customerId: after.customerId, applicationId: after.id };
  const at = after.updatedAt;
  const event = (t: KycEventType, data: KycEventData, id = kycEventId('kyc.application', after.id, after.version, t)): KycEvent => ({ id, type: t, aggregateId: after.id, version: after.version, occurredAt: at, data });
  const events = [event(type, { ...base, state: after.state, reasons, previousState: before.state })];
  if (after.decision?.by === 'OPERATOR' && before.state === 'MANUAL_REVIEW') {
    events.push(event('kyc.review.decided', { ...base, state: after.state, reasons, decision: after.decision.outcome, decidedBy: 'OPERATOR' }));
  }
  if (after.state === 'APPROVED') {
    events.push(event('kyc.level.changed', { ...base, state: after.state, reasons, level: LEVEL_OF_APPROVAL }, kycEventId('kyc.level', after.tenantId, after.customerId, LEVEL_OF_APPROVAL)));
  }
  return events;
}

/**
 * The state before the application's latest write, when that write was itself a state step whose
 * events can be derived again (for repairing an append lost to a crash between the version step and
 * the append): a submit sets `submittedAt` and `updatedAt` to the same instant, a decision sets
 * `decision.at` and `updatedAt` to the same instant. Null when a later write (a claim, an erasure)
 * followed, or the state is not one a step into it can be derived for.
 */
export function lastStepBefore(row: ApplicationStep & { submittedAt: Date | null }): { state: ApplicationState } | null {
  const at = row.updatedAt.getTime();
  if (row.state === 'SUBMITTED') return row.submittedAt?.getTime() === at ? { state: 'DRAFT' } : null;
  if (!STATE_EVENT[row.state] || !row.decision || row.decision.at.getTime() !== at) return null;
  return { state: row.decision.by === 'OPERATOR' ? 'MANUAL_REVIEW' : 'PROCESSING' };
}
