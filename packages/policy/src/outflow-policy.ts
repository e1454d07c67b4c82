import type { Identity } from '@baas/auth';
import { assertStepUp } from '@baas/authz';
import { DomainError } from '@baas/errors';
import { isAmountInRange } from '@baas/money';
import type { Outflow, PolicyDecision, PolicyPorts, StandingPort } from './outflow';

/**
 * The tenant's step-up policy entry every outflow asks for, whatever the rail (an FX sale, a PIX,
 * a card purchase move money out just as a transfer does): a customer session whose tenant asks
 * for step-up above `minAmountMinor` must have confirmed with a passkey within `maxAgeSeconds`.
 */
export const OUTFLOW_STEP_UP_ACTION = 'LARGE_TRANSFER';

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

/** Steps 0 and 1 together, at request time: standing, then step-up. */
export async function admitOutflow(port: StandingPort, identity: Identity, outflow: Outflow, nowSeconds?: number): Promise<void> {
  assertOutflow(outflow);
  await requireOutflowStanding(port, identity, outflow);
  requireOutflowStepUp(identity, outflow, nowSeconds);
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
  const risk = await ports.risk.assess(outflow);
  if (!risk.approved) return { approved: false, code: 'RISK_DECLINED', ...(risk.reason ? { reason: risk.reason } : {}) };
  return { approved: true };
}

/**
 * The whole path ahead of time, read only (an FX quote, a payment's preview): standing, step-up, limits
 * (checked, not reserved), risk, in the same order, refusals thrown as GraphQL errors with the same
 * codes (STEP_UP_REQUIRED, LIMIT_EXCEEDED, RISK_DECLINED). Passing it promises nothing: execution
 * passes the path again.
 */
export async function screenOutflow(ports: PolicyPorts & { standing: StandingPort }, identity: Identity, outflow: Outflow, nowSeconds?: number): Promise<void> {
  await admitOutflow(ports.standing, identity, outflow, nowSeconds);
  const limits = await ports.limits.check(outflow);
  if (!limits.ok) throw new DomainError('LIMIT_EXCEEDED', 'A limit would be exceeded.', { limit: limits.limit });
  const risk = await ports.risk.assess(outflow);
  if (!risk.approved) throw new DomainError('RISK_DECLINED');
}
