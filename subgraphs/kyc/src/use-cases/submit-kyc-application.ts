import type { Identity } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { transitionApplication } from '../domain/application-states';
import { customerStatusOf, KYC_LEVEL_NONE } from '../domain/kyc-level';
import { requireManageApplication, requireVisibleApplication } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';
import { appendKycApplicationEvents } from './kyc-event-append';
import { nowOf, requireClientId, type KycDeps } from './kyc-deps';

/**
 * Submits a DRAFT application for checking: SUBMITTED, due for the processor at once (it is woken;
 * it also polls, so a submit survives a restart). The application id is the idempotency key: a
 * repeat after the submit answers the application as it is now. Its customer or its tenant's client
 * (customers:write) submits; another state than DRAFT that was never submitted is CONFLICT
 * KYC_INVALID_TRANSITION.
 */
export async function submitKycApplication(deps: KycDeps, who: Identity, applicationId: string): Promise<KycApplicationRow> {
  const id = requireClientId(applicationId, 'id');
  let app = requireVisibleApplication(who, await deps.applications.findById(id));
  requireManageApplication(who, app);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (app.submittedAt) return app;
    const next = transitionApplication(app.state, 'SUBMIT');
    if (!next.ok) throw new DomainError('CONFLICT', 'Only a draft application is submitted.', { reason: next.reason, state: app.state });
    const now = nowOf(deps);
    const updated = await deps.applications.update(app.id, app.version, { state: next.state, submittedAt: now, nextAttemptAt: now, attempts: 0 }, now);
    if (updated) {
      await appendKycApplicationEvents(deps, app, updated);
      await deps.customers.record({ tenantId: app.tenantId, customerId: app.customerId, level: KYC_LEVEL_NONE, status: customerStatusOf(next.state), applicationId: app.id, updatedAt: now });
      deps.wake?.();
      return updated;
    }
    app = requireVisibleApplication(who, await deps.applications.findById(id));
  }
  throw new DomainError('CONFLICT', 'The application keeps changing: try again.', { reason: 'KYC_CONCURRENT_UPDATE' });
}
