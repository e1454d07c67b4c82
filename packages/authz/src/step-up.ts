import { rule, type IRule } from 'graphql-shield';
import { DomainError, unauthenticated } from '@baas/errors';
import type { AuthzIdentity, StepUpRule } from './context';
import { readPath } from './read-path';
import { identityOf, memoised } from './rules';

/** How far in the future a `stepUpAt` may lie (clock skew between the identity service and us). */
export const STEP_UP_CLOCK_SKEW_SECONDS = 60;

const INTEGER = /^-?\d+$/;

function policyEntry(identity: AuthzIdentity, action: string): StepUpRule | null | 'invalid' {
  const policy = identity.stepUpPolicy;
  if (policy === undefined || policy === null) return null;
  if (typeof policy !== 'object' || !Object.hasOwn(policy, action)) return null;
  const entry = policy[action];
  if (!entry || typeof entry !== 'object' || typeof entry.maxAgeSeconds !== 'number' || !Number.isFinite(entry.maxAgeSeconds) || entry.maxAgeSeconds < 0) {
    return 'invalid';
  }
  return entry;
}

/**
 * Reads an amount in minor units: a bigint, an integer string, or a safe integer number. Anything else
 * (absent, decimal, float, garbage) is undefined, which never exempts from step-up.
 */
export function toAmountMinor(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

/**
 * Does this identity satisfy the tenant's step-up policy for `action`?
 * - no policy entry for the action: yes;
 * - the entry has `minAmountMinor` and `amountMinor` is known, not negative and strictly below it: yes;
 * - otherwise only if the last passkey assertion (`stepUpAt`) is at most `maxAgeSeconds` old
 *   (and not more than STEP_UP_CLOCK_SKEW_SECONDS in the future).
 * Fails closed: a malformed entry, a malformed threshold or an unknown amount requires a step-up.
 */
export function stepUpSatisfied(
  identity: AuthzIdentity | null,
  action: string,
  amountMinor: bigint | null | undefined,
  nowSeconds: number,
): boolean {
  if (!identity) return false;
  const entry = policyEntry(identity, action);
  if (entry === null) return true;
  if (entry !== 'invalid') {
    const threshold = toAmountMinor(entry.minAmountMinor);
    if (threshold !== undefined && typeof amountMinor === 'bigint' && amountMinor >= 0n && amountMinor < threshold) return true;
  }
  const maxAge = entry === 'invalid' ? -1 : entry.maxAgeSeconds;
  const at = identity.stepUpAt;
  if (typeof at !== 'number' || !Number.isFinite(at) || !Number.isFinite(nowSeconds)) return false;
  const age = nowSeconds - at;
  return age >= -STEP_UP_CLOCK_SKEW_SECONDS && age <= maxAge;
}

/**
 * The error for a missing or stale step-up: STEP_UP_REQUIRED (403), with the action in `details` so a
 * client knows which confirmation to ask for.
 */
export function stepUpRequired(action: string): DomainError {
  return new DomainError('STEP_UP_REQUIRED', undefined, { action });
}

function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The same check for a resolver, where the need for a step-up depends on data (e.g. only when the
 * customer already has a passkey): throws UNAUTHENTICATED without an identity and STEP_UP_REQUIRED
 * when the policy is not satisfied; returns the identity otherwise.
 */
export function assertStepUp<T extends AuthzIdentity>(
  identity: T | null,
  action: string,
  amountMinor?: bigint | null,
  nowSeconds: number = nowInSeconds(),
): T {
  if (!identity) throw unauthenticated();
  if (!stepUpSatisfied(identity, action, amountMinor, nowSeconds)) throw stepUpRequired(action);
  return identity;
}

/**
 * Requires a fresh passkey assertion for `action` when the tenant's policy (carried on the identity)
 * asks for one. `amountArg` names the argument holding the amount in minor units ('amount',
 * 'input.amount', 'input.money.amountMinor'), read as a bigint or an integer string.
 *
 * Not cached: it reads the clock and the arguments.
 */
export function requireStepUp(action: string, opts: { amountArg?: string; now?: () => number } = {}): IRule {
  const { amountArg, now } = opts;
  const make = (name: string) =>
    rule(name, { cache: 'no_cache' })((_parent, args, ctx) => {
      const identity = identityOf(ctx);
      if (!identity) return unauthenticated();
      const amount = amountArg === undefined ? undefined : toAmountMinor(readPath(args, amountArg));
      const nowSeconds = now ? now() : nowInSeconds();
      return stepUpSatisfied(identity, action, amount, nowSeconds) ? true : stepUpRequired(action);
    });
  const name = `authz:requireStepUp:${action}:${amountArg ?? ''}`;
  // A custom clock (tests) makes a distinct rule; otherwise one instance per action and amount argument.
  return now ? make(`${name}#${++customClocks}`) : memoised(name, () => make(name));
}

let customClocks = 0;

/**
 * assertStepUp for actions that always need a passkey confirmation (adding or removing a passkey):
 * the tenant's rule for `action` when it has one, `fallback` otherwise, never "no step-up".
 */
export function assertStepUpOrDefault<T extends AuthzIdentity>(identity: T | null, action: string, fallback: StepUpRule, nowSeconds: number = nowInSeconds()): T {
  if (!identity) throw unauthenticated();
  const own = identity.stepUpPolicy && Object.hasOwn(identity.stepUpPolicy, action) ? identity.stepUpPolicy[action] : undefined;
  const policy = { ...(identity.stepUpPolicy ?? {}), [action]: own ?? fallback };
  if (!stepUpSatisfied({ ...identity, stepUpPolicy: policy }, action, undefined, nowSeconds)) throw stepUpRequired(action);
  return identity;
}
