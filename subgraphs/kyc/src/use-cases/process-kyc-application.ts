import { transitionApplication, type ApplicationEvent } from '../domain/application-states';
import { IDENTITY_DOCUMENT_TYPES } from '../domain/document-types';
import { decideKyc, missingDocuments, type CheckName, type CheckResult, type KycDecision, type KycOutcome } from '../domain/kyc-decision';
import { customerStatusOf, levelAfter, retryDelaySeconds } from '../domain/kyc-level';
import type { KycApplicationRow } from '../store/application-store';
import type { StoredCheck } from '../store/kyc-collections';
import type { KycCheckDocument, KycChecks } from './kyc-checks';
import { appendKycApplicationEvents } from './kyc-event-append';
import { nowOf, type KycDeps } from './kyc-deps';

const EVENT_OF: Record<KycOutcome, ApplicationEvent> = { APPROVED: 'APPROVE', DENIED: 'DENY', NEEDS_DOCUMENTS: 'REQUEST_DOCUMENTS', MANUAL_REVIEW: 'REFER' };

export type ProcessOutcome = { status: 'DECIDED'; decision: KycDecision } | { status: 'RETRY'; at: Date } | { status: 'SKIPPED' };

/** The latest non-erased document of the types given. */
function latest(app: KycApplicationRow, types: readonly string[]) {
  return app.documents.filter((d) => !d.erased && types.includes(d.type)).at(-1) ?? null;
}

/**
 * One processing run of a claimed application (see the processor worker): SUBMITTED becomes
 * PROCESSING; the documents are read (opened from the vault), the four checks run in parallel on
 * `checks`, each result stored with its model version, and the pure decision (with the tenant's
 * rules) moves the application to APPROVED, DENIED, NEEDS_DOCUMENTS or MANUAL_REVIEW with its reason
 * codes. An approval raises the customer's KYC level. A check that throws (could not run) schedules
 * another attempt with back-off; after `maxAttempts` the application goes to MANUAL_REVIEW
 * (CHECKS_UNAVAILABLE). Every write names the version it read: a run that lost a race changes nothing.
 */
export async function processKycApplication(deps: KycDeps & { checks: KycChecks }, claimed: KycApplicationRow, opts: { maxAttempts: number }): Promise<ProcessOutcome> {
  const now = nowOf(deps);
  let app: KycApplicationRow | null = claimed;
  if (app.state === 'SUBMITTED') {
    const next = transitionApplication(app.state, 'START_PROCESSING');
    if (!next.ok) return { status: 'SKIPPED' };
    app = await deps.applications.update(app.id, app.version, { state: next.state }, now);
    if (!app) return { status: 'SKIPPED' };
  }
  if (app.state !== 'PROCESSING') return { status: 'SKIPPED' };

  const identityRef = latest(app, IDENTITY_DOCUMENT_TYPES);
  const selfieRef = latest(app, ['SELFIE']);
  const [document, selfie] = await Promise.all([identityRef && readDocument(deps, identityRef), selfieRef && readDocument(deps, selfieRef)]);
  const present = [document?.type, selfie?.type].filter((t): t is NonNullable<typeof t> => !!t);
  if (missingDocuments(present).length > 0 || !document || !selfie) {
    return finish(deps, app, decideKyc({ documents: present, checks: {}, rules: await deps.rulesOf(app.tenantId) }), {}, now);
  }

  let results: Record<CheckName, CheckResult>;
  try {
    const [ocr, face, liveness, screening] = await Promise.all([
      deps.checks.ocr(document, app.applicant),
      deps.checks.face(selfie, document),
      deps.checks.liveness(selfie),
      deps.checks.screening(app.applicant),
    ]);
    results = { ocr, face, liveness, screening };
  } catch (error) {
    deps.logger?.warn({ applicationId: app.id, attempt: app.attempts, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'kyc checks could not run');
    if (app.attempts >= opts.maxAttempts) return finish(deps, app, { outcome: 'MANUAL_REVIEW', reasons: ['CHECKS_UNAVAILABLE'] }, {}, now);
    const at = new Date(now.getTime() + retryDelaySeconds(app.attempts) * 1000);
    await deps.applications.update(app.id, app.version, { nextAttemptAt: at }, now);
    return { status: 'RETRY', at };
  }
  const decision = decideKyc({ documents: present, checks: results, rules: await deps.rulesOf(app.tenantId) });
  return finish(deps, app, decision, results, now);
}

async function readDocument(deps: KycDeps, ref: KycApplicationRow['documents'][number]): Promise<KycCheckDocument | null> {
  const [meta, bytes] = await Promise.all([deps.documents.findById(ref.documentId), deps.documents.readBytes(ref.documentId)]);
  return meta && bytes ? { documentId: meta.id, type: meta.documentType, contentType: meta.contentType, bytes } : null;
}

async function finish(deps: KycDeps, app: KycApplicationRow, decision: KycDecision, results: Partial<Record<CheckName, CheckResult>>, now: Date): Promise<ProcessOutcome> {
  const next = transitionApplication(app.state, EVENT_OF[decision.outcome]);
  if (!next.ok) return { status: 'SKIPPED' };
  const checks: Partial<Record<CheckName, StoredCheck>> = { ...app.checks };
  for (const [name, result] of Object.entries(results) as [CheckName, CheckResult][]) checks[name] = { ...result, at: now };
  const updated = await deps.applications.update(
    app.id,
    app.version,
    { state: next.state, checks, decision: { outcome: decision.outcome, reasons: decision.reasons, by: 'SYSTEM', operator: null, at: now }, nextAttemptAt: null },
    now,
  );
  if (!updated) return { status: 'SKIPPED' };
  await appendKycApplicationEvents(deps, app, updated);
  await deps.customers.record({ tenantId: app.tenantId, customerId: app.customerId, level: levelAfter(0, next.state), status: customerStatusOf(next.state), applicationId: app.id, updatedAt: now });
  return { status: 'DECIDED', decision };
}
