import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import type { StandingPort } from '@baas/policy';
import { amountArg, isUuid } from '@baas/server';
import { effectivePixLimits, PIX_PERIODS, type PixPeriod } from '../domain/pix-limits';
import { limitsCustomer, mayManageLimits, maySeePayments } from '../permissions';
import type { PixLimitStore } from '../store/pix-limit-store';

export type PixLimitDeps = {
  limits: Pick<PixLimitStore, 'history' | 'addChange'>;
  standing: StandingPort;
  settings: { pixDefaults: Record<PixPeriod, bigint>; increaseDelayMs: number };
};

/** A customer's limits now: per period, in force, and an increase still waiting for its delay. */
export type PixLimitsView = { customerId: string; limits: ReturnType<typeof effectivePixLimits> };

/** The customer addressed and its tenant: a customer themselves; a tenant's client one of its customers (NOT_FOUND-safe: FORBIDDEN). */
async function owner(deps: PixLimitDeps, who: Identity, named: string | null | undefined) {
  const customerId = limitsCustomer(who, named);
  if (!customerId || !isUuid(customerId) || !who.tenantId) throw forbidden();
  const id = customerId.toLowerCase();
  if (!(await deps.standing.standing(who.tenantId, id))) throw forbidden();
  return { tenantId: who.tenantId, customerId: id };
}

const view = (deps: PixLimitDeps, customerId: string, history: Awaited<ReturnType<PixLimitStore['history']>>, now: Date): PixLimitsView => ({
  customerId,
  limits: effectivePixLimits(history, now, { increaseDelayMs: deps.settings.increaseDelayMs, initial: deps.settings.pixDefaults }),
});

/** `pixLimits`: the customer's PIX limits (defaults until set). */
export async function getPixLimits(deps: PixLimitDeps, identity: Identity | null, customerId?: string | null): Promise<PixLimitsView> {
  const who = requireIdentity(identity);
  const o = await owner(deps, who, customerId);
  if (!maySeePayments(who, o)) throw forbidden();
  return view(deps, o.customerId, await deps.limits.history(o.customerId), new Date());
}

/**
 * `setPixLimit`: a decrease applies at once; an increase only after PIX_LIMIT_INCREASE_DELAY_SECONDS
 * (BCB: at least 24 h, so a stolen session cannot raise and drain at once). Recorded as a change;
 * the limit in force is computed from the history (domain/pix-limits.ts).
 */
export async function setPixLimit(deps: PixLimitDeps, identity: Identity | null, input: { customerId?: string | null; period: string; amount: string }): Promise<PixLimitsView> {
  const who = requireIdentity(identity);
  if (!(PIX_PERIODS as readonly string[]).includes(input.period)) throw badInput('period must be DAYTIME or NIGHTTIME.', { field: 'period' });
  const period = input.period as PixPeriod;
  const amount = amountArg(input.amount, 'amount');
  const o = await owner(deps, who, input.customerId);
  if (!mayManageLimits(who, o)) throw forbidden();
  const now = new Date();
  const current = view(deps, o.customerId, await deps.limits.history(o.customerId), now).limits[period].amount ?? deps.settings.pixDefaults[period];
  const effectiveAt = amount > current ? new Date(now.getTime() + deps.settings.increaseDelayMs) : now;
  await deps.limits.addChange({ ...o, period, amount, requestedAt: now, effectiveAt });
  return view(deps, o.customerId, await deps.limits.history(o.customerId), now);
}
