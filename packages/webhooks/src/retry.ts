/**
 * When a failed delivery is tried again, and when an endpoint is disabled (pure).
 *
 * The schedule is the Standard Webhooks example, exponential-ish over about three days: the first
 * attempt at once, then retries after these nominal delays (cumulative time in brackets):
 *
 *   retry | nominal delay | nominal time since the event
 *   ----- | ------------- | ---------------------------
 *     1   | 5 s           | 0:00:05
 *     2   | 5 min         | 0:05:05
 *     3   | 30 min        | 0:35:05
 *     4   | 2 h           | 2:35:05
 *     5   | 5 h           | 7:35:05
 *     6   | 10 h          | 17:35:05
 *     7   | 14 h          | 31:35:05
 *     8   | 20 h          | 51:35:05
 *     9   | 24 h          | 75:35:05  (~3.1 days; 10 attempts in all, then the delivery gives up)
 *
 * Jitter: each delay is `nominal × (1 − jitter × rng())`, rng in [0, 1). `jitter` 1 is full jitter
 * (anywhere in (0, nominal]); the default 0.5 draws from (nominal/2, nominal], so retries of many
 * deliveries spread out, never later than the table, and the span stays between ~1.6 and ~3.1
 * days (full jitter could put all of them in the first minutes). A `Retry-After` from the receiver
 * (429, 503) moves the next attempt later, never earlier, and never past a day.
 */
export type RetryPolicy = {
  /** Delays after attempt 1, 2, ... in ms; after the last one the delivery gives up. */
  delaysMs: readonly number[];
  /** 0 (none) to 1 (full jitter). */
  jitter: number;
};

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H],
  jitter: 0.5,
};

/** Attempts a delivery gets in all (the first plus one per delay). */
export const maxAttempts = (policy: RetryPolicy = DEFAULT_RETRY_POLICY): number => policy.delaysMs.length + 1;

/** The delay after attempt number `attempt` (1-based) failed, or null when it was the last. */
export function retryDelayMs(attempt: number, rng: () => number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt is a whole number from 1');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new RangeError('jitter is 0 to 1');
  const nominal = policy.delaysMs[attempt - 1];
  if (nominal === undefined) return null;
  const r = Math.min(Math.max(rng(), 0), 1 - Number.EPSILON);
  return Math.max(1, Math.round(nominal * (1 - policy.jitter * r)));
}

/**
 * When to make attempt `attempt + 1`, given that attempt `attempt` failed at `failedAt`; null means
 * give up (the delivery is exhausted). `retryAfterMs` is the receiver's Retry-After, if any.
 */
export function nextAttemptAt(attempt: number, failedAt: Date, rng: () => number, opts: { policy?: RetryPolicy; retryAfterMs?: number | null } = {}): Date | null {
  const delay = retryDelayMs(attempt, rng, opts.policy);
  if (delay === null) return null;
  const wait = Math.max(delay, Math.min(opts.retryAfterMs ?? 0, D));
  return new Date(failedAt.getTime() + wait);
}

/** What an endpoint's record says about its health (the webhooks service keeps these). */
export type EndpointHealth = {
  /** The first failed attempt since the last success; null when the last attempt succeeded. */
  failingSince: Date | null;
  /** Deliveries that used up all their attempts since the last success. */
  exhaustedSinceSuccess: number;
  /** The last attempt was answered 410 Gone. */
  lastAnswerGone?: boolean;
};

export type DisableRule = {
  /** Disable after failing without a single success for this long (5 days, Svix's rule)... */
  failingForMs: number;
  /** ...and at least this many deliveries exhausted meanwhile (so it was not one stray attempt). */
  minExhausted: number;
};

export const DEFAULT_DISABLE_RULE: DisableRule = { failingForMs: 5 * D, minExhausted: 1 };

export type DisableVerdict = { disable: false } | { disable: true; reason: 'GONE' | 'FAILING' };

/**
 * Whether to disable the endpoint (and tell the tenant): at once on 410 Gone (the receiver said it
 * wants no more), or when it has failed continuously for `failingForMs` with at least
 * `minExhausted` deliveries given up. Any success resets `failingSince`, so it is never disabled.
 */
export function shouldDisableEndpoint(health: EndpointHealth, now: Date, rule: DisableRule = DEFAULT_DISABLE_RULE): DisableVerdict {
  if (health.lastAnswerGone) return { disable: true, reason: 'GONE' };
  if (health.failingSince === null) return { disable: false };
  const failingFor = now.getTime() - health.failingSince.getTime();
  if (failingFor >= rule.failingForMs && health.exhaustedSinceSuccess >= rule.minExhausted) return { disable: true, reason: 'FAILING' };
  return { disable: false };
}
