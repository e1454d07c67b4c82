import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { transitionApplication } from '../domain/application-states';
import { customerStatusOf, levelAfter, REASON_CODE } from '../domain/kyc-level';
import { requireVisibleApplication } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';
import { appendKycApplicationEvents } from './kyc-event-append';
import { auditActor, nowOf, requireClientId, type KycDeps } from './kyc-deps';

export const KYC_REVIEW_DECIDED_ACTION = 'kyc.review.decided';

export type DecideKycReviewInput = { applicationId: string; decision: 'APPROVE' | 'DENY'; reason: string };

/**
 * An operator's decision on an application in MANUAL_REVIEW: APPROVED or DENIED with a reason code
 * (upper snake case), recorded on the application (who, when) and in the audit trail. The
 * application id is the idempotency key: the same decision again answers the application; another
 * decision on an application already decided, or one not in review, is CONFLICT
 * KYC_INVALID_TRANSITION. An approval raises the customer's KYC level.
 */
export async function decideKycReview(deps: KycDeps, who: Identity, input: DecideKycReviewInput): Promise<KycApplicationRow> {
  const id = requireClientId(input.applicationId, 'applicationId');
  if (input.decision !== 'APPROVE' && input.decision !== 'DENY') throw badInput('decision is APPROVE or DENY.', { field: 'decision', reason: 'UNKNOWN_DECISION' });
  if (typeof input.reason !== 'string' || !REASON_CODE.test(input.reason)) throw badInput('reason is a code in upper snake case (3 to 40 characters).', { field: 'reason', reason: 'MALFORMED_REASON' });
  const outcome = input.decision === 'APPROVE' ? 'APPROVED' : 'DENIED';
  let app = requireVisibleApplication(who, await deps.applications.findById(id));
  for (let attempt = 0; attempt < 10; attempt++) {
    const d = app.decision;
    if (d?.by === 'OPERATOR' && d.operator === who.subject && d.outcome === outcome && d.reasons.length === 1 && d.reasons[0] === input.reason) return app;
    const next = transitionApplication(app.state, input.decision === 'APPROVE' ? 'OPERATOR_APPROVE' : 'OPERATOR_DENY');
    if (!next.ok) throw new DomainError('CONFLICT', 'Only an application in manual review is decided by an operator.', { reason: next.reason, state: app.state });
    const now = nowOf(deps);
    const updated = await deps.applications.update(app.id, app.version, { state: next.state, decision: { outcome, reasons: [input.reason], by: 'OPERATOR', operator: who.subject, at: now } }, now);
    if (updated) {
      await appendKycApplicationEvents(deps, app, updated);
      await deps.customers.record({ tenantId: app.tenantId, customerId: app.customerId, level: levelAfter(0, next.state), status: customerStatusOf(next.state), applicationId: app.id, updatedAt: now });
      deps.audit?.record({
        action: KYC_REVIEW_DECIDED_ACTION,
        outcome: 'success',
        actor: auditActor(who),
        target: { type: 'KycApplication', id: app.id },
        tenantId: app.tenantId,
        reason: input.reason,
        details: { decision: outcome, previousDecision: app.decision?.outcome ?? null, previousReasons: app.decision?.reasons ?? [] },
        at: now,
      });
      return updated;
    }
    app = requireVisibleApplication(who, await deps.applications.findById(id));
  }
  throw new DomainError('CONFLICT', 'The application keeps changing: try again.', { reason: 'KYC_CONCURRENT_UPDATE' });
}
