import type { Identity } from '@baas/auth';
import { assertStepUp, stepUpSatisfied } from '@baas/authz';
import { DomainError } from '@baas/errors';
import { isAmountInRange } from '@baas/money';
import type { AdmissionPorts, Outflow, PolicyDecision, PolicyPorts, RiskVerdict, StandingPort } from './outflow';

/**
 * The tenant's step-up policy entry every outflow asks for, whatever the rail (an FX sale, a PIX,
 * a card purchase move money out just as a transfer does): a customer session whose tenant asks
 * for step-up above `minAmountMinor` must have confirmed with a passkey within `maxAgeSeconds`.
 */
export const OUTFLOW_STEP_UP_ACTION = 'LARGE_TRANSFER';

/** `details.action` of the STEP_UP_REQUIRED a REVIEW from risk asks for, whatever the amount. */
export const RISK_REVIEW_ACTION = 'RISK_REVIEW';

/** How recent the passkey confirmation must be for a REVIEW when the tenant's LARGE_TRANSFER entry does not say. */
export const RISK_REVIEW_MAX_AGE_SECONDS = 300;

const nowInSeconds = () => Math.floor(Date.now() / 1000);

function assertOutflow(outflow: Outflow): void {
  if (typeof outflow.amount !== 'bigint' || !isAmountInRange(outflow.amount)) {
    // Every rail parses amounts with @baas/money's parseAmount first; reaching this is a bug.
    throw new RangeError(`outflow ${outflow.id}: amount out of range`);
  }
}

/**
 * Step 1, at request time (never in recovery: it judges the caller, who is not there then). Throws
 * STEP_UP_REQUIRED (details.action) when the caller's session does not satisfy the tenant's step-up
 * policy for this amount. Principals without a step-up policy (API clients, operators) pass.
 */
export function requireOutflowStepUp(identity: Identity, outflow: Outflow, nowSeconds?: number): void {
  assertOutflow(outflow);
  assertStepUp(identity, OUTFLOW_STEP_UP_ACTION, outflow.amount, nowSeconds);
}

/**
 * Step 0, at request time, before step-up: the customer whose account pays, and its tenant, are
 * ACTIVE now. Access tokens outlive a suspension by up to their lifetime; this makes a suspension
 * stop money at once (within the directory's short cache). Internal services (returns, fees,
 * settlement: the platform's own movements) are not acting for the customer and pass. Refused as
 * FORBIDDEN with reason CUSTOMER_NOT_ACTIVE or TENANT_NOT_ACTIVE: the caller has already shown it
 * may act on the account, so naming which is no leak.
 */
export async function requireOutflowStanding(port: StandingPort, identity: Identity, outflow: Outflow): Promise<void> {
  if (identity.kind === 'service') return;
  const standing = await port.standing(outflow.tenantId, outflow.customerId);
  if (!standing || !standing.tenantActive) throw new DomainError('FORBIDDEN', 'The tenant is not active.', { reason: 'TENANT_NOT_ACTIVE' });
  if (!standing.customerActive) throw new DomainError('FORBIDDEN', 'The customer is not active.', { reason: 'CUSTOMER_NOT_ACTIVE' });
}

/**
 * The request-time part of the path: standing, step-up, limits checked read only (when the rail
 * gives a limits port: LIMIT_EXCEEDED with details.limit, nothing written), then (when it gives a
 * risk port) the outflow is scored and the verdict applied (requireRiskVerdict). Returns risk's
 * verdict (null without a risk port). Limits are reserved later, where money is committed
 * (authorizeOutflow); a race between two requests ends there, as the rail's refusal.
 */
export async function admitOutflow(ports: AdmissionPorts, identity: Identity, outflow: Outflow, nowSeconds?: number): Promise<RiskVerdict | null> {
  assertOutflow(outflow);
  await requireOutflowStanding(ports.standing, identity, outflow);
  requireOutflowStepUp(identity, outflow, nowSeconds);
  if (ports.limits) {
    const limits = await ports.limits.check(outflow);
    if (!limits.ok) throw new DomainError('LIMIT_EXCEEDED', 'A limit would be exceeded.', { limit: limits.limit });
  }
  if (!ports.risk) return null;
  const verdict = await ports.risk.assess(outflow);
  requireRiskVerdict(identity, verdict, nowSeconds);
  return verdict;
}

/** RISK_DECLINED with risk's reason codes (stable codes, never scores, features or model internals). */
export function riskDeclined(verdict: Pick<RiskVerdict, 'reasons'>, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('RISK_DECLINED', undefined, { ...details, reasons: [...verdict.reasons] });
}

/**
 * Applies risk's verdict at request time, where the caller is there to answer it:
 * - ALLOW passes; BLOCK is RISK_DECLINED (details.reasons);
 * - REVIEW asks the customer to confirm with a passkey whatever the amount: a customer session passes
 *   with a passkey assertion at most the tenant's LARGE_TRANSFER maxAgeSeconds old (default
 *   RISK_REVIEW_MAX_AGE_SECONDS), else STEP_UP_REQUIRED with details.action RISK_REVIEW;
 * - REVIEW for an API client (server to server, no customer to confirm) is RISK_DECLINED with
 *   details.decision REVIEW: the tenant must bring the customer in (its app, with a step-up);
 * - REVIEW for an operator (the bank's own staff, audited) or an internal service (the platform's
 *   own movements) passes: the assessment stays stored for review.
 */
export function requireRiskVerdict(identity: Identity, verdict: RiskVerdict, nowSeconds: number = nowInSeconds()): void {
  if (verdict.decision === 'ALLOW') return;
  if (verdict.decision === 'BLOCK') throw riskDeclined(verdict);
  if (identity.kind === 'service' || identity.kind === 'operator') return;
  if (identity.kind !== 'customer') throw riskDeclined(verdict, { decision: 'REVIEW' });
  const own = identity.stepUpPolicy && Object.hasOwn(identity.stepUpPolicy, OUTFLOW_STEP_UP_ACTION) ? identity.stepUpPolicy[OUTFLOW_STEP_UP_ACTION] : undefined;
  const maxAgeSeconds = own ? own.maxAgeSeconds : RISK_REVIEW_MAX_AGE_SECONDS;
  // The tenant's amount threshold does not apply: risk asked for this one.
  const policy = { [RISK_REVIEW_ACTION]: { maxAgeSeconds } };
  if (!stepUpSatisfied({ ...identity, stepUpPolicy: policy }, RISK_REVIEW_ACTION, undefined, nowSeconds)) {
    throw new DomainError('STEP_UP_REQUIRED', undefined, { action: RISK_REVIEW_ACTION, maxAgeSeconds });
  }
}

/**
 * Steps 2 and 3 where money is committed (under the rail's hold or before its ledger batch):
 * limits, reserved atomically by the port, then risk. `reserved: true` resumes an outflow whose
 * reservation was already made (after a crash): only risk runs again. A refusal is a decision,
 * not an error: the rail records it as the outflow's outcome (failureCode LIMIT_EXCEEDED or
 * RISK_DECLINED) and compensates (releases the hold and the reservation).
 */
export async function authorizeOutflow(ports: PolicyPorts, outflow: Outflow, opts: { reserved?: boolean } = {}): Promise<PolicyDecision> {
  assertOutflow(outflow);
  if (!opts.reserved) {
    const limits = await ports.limits.reserve(outflow);
    if (!limits.ok) return { approved: false, code: 'LIMIT_EXCEEDED', reason: limits.limit };
  }
  // The same outflow id as at request time: the risk subgraph answers with the stored assessment.
  // REVIEW approves here: its step-up was demanded at request time (nobody is there to answer now).
  const risk = await ports.risk.assess(outflow);
  if (risk.decision === 'BLOCK') return { approved: false, code: 'RISK_DECLINED', ...(risk.reasons.length ? { reason: risk.reasons.join(',') } : {}) };
  return { approved: true };
}

/**
 * The whole path ahead of time, read only (an FX quote, a payment's preview): standing, step-up, limits
 * (checked, not reserved), risk, in the same order, refusals thrown as GraphQL errors with the same
 * codes (STEP_UP_REQUIRED, LIMIT_EXCEEDED, RISK_DECLINED). Passing it promises nothing: execution
 * passes the path again.
 */
export async function screenOutflow(ports: PolicyPorts & { standing: StandingPort }, identity: Identity, outflow: Outflow, nowSeconds?: number): Promise<void> {
  await admitOutflow({ standing: ports.standing, limits: ports.limits, risk: ports.risk }, identity, outflow, nowSeconds);
}
