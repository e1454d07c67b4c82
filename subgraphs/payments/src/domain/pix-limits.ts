import { DomainError } from '@baas/errors';

/**
 * PIX customer limits (pure).
 *
 * Periods: DAYTIME from 06:00 to 20:00 in America/Sao_Paulo, NIGHTTIME from 20:00 to 06:00 (the night start may be
 * 22:00 at the customer's choice: `nightStartHour`). Brazil has had no daylight saving time since 2019, so
 * São Paulo is UTC-3 all year; the computation uses that fixed offset.
 *
 * Changes: a customer's limit change that lowers a limit applies at once; one that raises it applies only after
 * a delay (24 h by default, configurable), so a fraudster holding the phone cannot raise and drain at once. A
 * newer request replaces a pending one (the latest request is the customer's wish): a decrease cancels a
 * pending increase, and a new increase restarts the delay.
 *
 * Default night-time limit for people: R$ 1,000 per transaction (DEFAULT_NIGHT_LIMIT_PERSON).
 */

export type PixPeriod = 'DAYTIME' | 'NIGHTTIME';
export const PIX_PERIODS: readonly PixPeriod[] = ['DAYTIME', 'NIGHTTIME'];
export const SAO_PAULO_OFFSET_MINUTES = -180;
export const DAY_START_HOUR = 6;
export const DEFAULT_NIGHT_START_HOUR = 20;
export const DEFAULT_INCREASE_DELAY_MS = 24 * 3_600_000;
export const DEFAULT_NIGHT_LIMIT_PERSON = 100_000n;

export type LimitChange = {
  readonly period: PixPeriod;
  /** The new limit, centavos (0n: nothing allowed in that period). */
  readonly amount: bigint;
  readonly requestedAt: Date;
};
export type EffectiveLimit = {
  /** The limit in force at `at`; undefined when nothing has been set (the caller's default applies). */
  readonly amount: bigint | undefined;
  /** An increase requested but not in force yet. */
  readonly pending?: { readonly amount: bigint; readonly effectiveAt: Date };
};
export type LimitOptions = {
  /** How long an increase waits; default 24 h. */
  readonly increaseDelayMs?: number;
  /** The limit before the first change; absent: the first change applies at once (the account's initial setting). */
  readonly initial?: bigint;
};

const badInput = (field: string, message: string) => new DomainError('BAD_USER_INPUT', message, { field, reason: 'INVALID_LIMIT_INPUT' });

function validTime(at: Date, field: string): number {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw badInput(field, 'Not a valid date.');
  return at.getTime();
}

/** The local time of day in São Paulo, in minutes since midnight. */
export function saoPauloMinuteOfDay(at: Date): number {
  const local = new Date(validTime(at, 'at') + SAO_PAULO_OFFSET_MINUTES * 60_000);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** Whether `at` falls in the daytime (06:00 inclusive to the night start exclusive, São Paulo) or the night. */
export function pixPeriod(at: Date, opts: { nightStartHour?: number } = {}): PixPeriod {
  const nightStart = opts.nightStartHour ?? DEFAULT_NIGHT_START_HOUR;
  if (nightStart !== 20 && nightStart !== 22) throw badInput('nightStartHour', 'The night starts at 20:00 or 22:00.');
  const minute = saoPauloMinuteOfDay(at);
  return minute >= DAY_START_HOUR * 60 && minute < nightStart * 60 ? 'DAYTIME' : 'NIGHTTIME';
}

/**
 * The limit in force at `at` given its change history (changes of one limit; order does not matter, ties keep
 * their order). Changes requested after `at` are ignored.
 */
export function effectiveLimit(history: readonly Omit<LimitChange, 'period'>[], at: Date, opts: LimitOptions = {}): EffectiveLimit {
  const now = validTime(at, 'at');
  const delay = opts.increaseDelayMs ?? DEFAULT_INCREASE_DELAY_MS;
  if (!Number.isSafeInteger(delay) || delay < 0) throw badInput('increaseDelayMs', 'The delay is a non-negative number of milliseconds.');
  if (opts.initial !== undefined && (typeof opts.initial !== 'bigint' || opts.initial < 0n)) throw badInput('initial', 'A limit is a non-negative bigint.');
  for (const change of history) {
    if (typeof change.amount !== 'bigint' || change.amount < 0n) throw badInput('amount', 'A limit is a non-negative bigint of minor units.');
    validTime(change.requestedAt, 'requestedAt');
  }
  const changes = history
    .map((change, index) => ({ change, index }))
    .filter(({ change }) => change.requestedAt.getTime() <= now)
    .sort((a, b) => a.change.requestedAt.getTime() - b.change.requestedAt.getTime() || a.index - b.index);
  let amount = opts.initial;
  let pending: { amount: bigint; effectiveAt: number } | undefined;
  for (const { change } of changes) {
    const t = change.requestedAt.getTime();
    if (pending && pending.effectiveAt <= t) {
      amount = pending.amount;
      pending = undefined;
    }
    if (amount === undefined || change.amount <= amount) {
      amount = change.amount;
      pending = undefined;
    } else {
      pending = { amount: change.amount, effectiveAt: t + delay };
    }
  }
  if (pending && pending.effectiveAt <= now) {
    amount = pending.amount;
    pending = undefined;
  }
  return pending ? { amount, pending: { amount: pending.amount, effectiveAt: new Date(pending.effectiveAt) } } : { amount };
}

/** Both periods' limits in force at `at`, from a history mixing DAYTIME and NIGHTTIME changes. */
export function effectivePixLimits(
  history: readonly LimitChange[],
  at: Date,
  opts: { increaseDelayMs?: number; initial?: Partial<Record<PixPeriod, bigint>> } = {},
): Record<PixPeriod, EffectiveLimit> {
  const of = (period: PixPeriod) => {
    const initial = opts.initial?.[period];
    return effectiveLimit(history.filter((c) => c.period === period), at, {
      ...(opts.increaseDelayMs !== undefined ? { increaseDelayMs: opts.increaseDelayMs } : {}),
      ...(initial !== undefined ? { initial } : {}),
    });
  };
  return { DAYTIME: of('DAYTIME'), NIGHTTIME: of('NIGHTTIME') };
}

/**
 * Refuses a PIX of `amount` at `at` that is over the limit of its period: LIMIT_EXCEEDED with details
 * { limit: 'PIX_DAYTIME' | 'PIX_NIGHTTIME', limitAmount, requested } (decimal strings). `used` is what the customer
 * already sent in the current period window (0n for a per-transaction check). Returns null when it fits.
 */
export function pixLimitRefusal(input: {
  readonly amount: bigint;
  readonly at: Date;
  readonly limits: Partial<Record<PixPeriod, bigint>>;
  readonly used?: bigint;
  readonly nightStartHour?: number;
}): DomainError | null {
  if (typeof input.amount !== 'bigint' || input.amount <= 0n) throw badInput('amount', 'The amount must be positive.');
  const used = input.used ?? 0n;
  if (typeof used !== 'bigint' || used < 0n) throw badInput('used', 'Usage is a non-negative bigint.');
  const period = pixPeriod(input.at, input.nightStartHour !== undefined ? { nightStartHour: input.nightStartHour } : {});
  const limit = input.limits[period];
  if (limit === undefined || used + input.amount <= limit) return null;
  return new DomainError('LIMIT_EXCEEDED', `The amount is over the ${period === 'DAYTIME' ? 'daytime' : 'night-time'} PIX limit.`, {
    limit: period === 'DAYTIME' ? 'PIX_DAYTIME' : 'PIX_NIGHTTIME',
    limitAmount: limit.toString(),
    remaining: (limit > used ? limit - used : 0n).toString(),
    requested: input.amount.toString(),
  });
}
