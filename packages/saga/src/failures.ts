import { isDomainError } from '@baas/errors';

/**
 * Which failures of a step are worth retrying. Infrastructure (a store or a service down, restarting,
 * timing out, a serialisation conflict) goes away by itself: the saga stays where it is and is
 * retried with back-off. Everything else is permanent (a refusal, a bad request, a bug): repeating
 * the step gets the same answer, so the saga ends with a failure code instead of being retried forever.
 */
export type FailureClassifier = {
  isTransient(error: unknown): boolean;
  /** The failure code a permanent error leaves on the saga. */
  failureCode(error: unknown): string;
};

/** Prisma (cannot reach, timed out, closed, pool timeout, transaction conflict) and Node socket codes. */
const INFRA_CODES = new Set([
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET',
]);
/** SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (shutdown), 40 serialisation/deadlock. */
const INFRA_SQLSTATE = /^(08|53|57|40)[0-9A-Z]{3}$/;
const INFRA_MESSAGE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connection (is )?closed|terminating connection|shutting down|Can't reach database|timed out|timeout/i;

/** Infrastructure by its code, SQLSTATE, name or message, along the `cause` chain. */
export function isInfrastructureFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'PrismaClientInitializationError' || name === 'PrismaClientRustPanicError') return true;
    if (typeof code === 'string' && (INFRA_CODES.has(code) || INFRA_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && INFRA_MESSAGE.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export type FailureRules = {
  /** A subgraph's own verdict first (its clients' error classes); undefined: the default rules decide. */
  transient?(error: unknown): boolean | undefined;
  /** A subgraph's failure code for a permanent error; undefined: the default (a DomainError's code, else INTERNAL_ERROR). */
  failureCode?(error: unknown): string | undefined;
};

/**
 * The classifier: the subgraph's rules, then the defaults: a DomainError is permanent with its code
 * (SUBGRAPH_UNAVAILABLE is transient), infrastructure is transient, anything else (a bug) permanent
 * with INTERNAL_ERROR.
 */
export function createFailureClassifier(rules: FailureRules = {}): FailureClassifier {
  return {
    isTransient(error) {
      const own = rules.transient?.(error);
      if (own !== undefined) return own;
      if (isDomainError(error)) return error.code === 'SUBGRAPH_UNAVAILABLE';
      return isInfrastructureFailure(error);
    },
    failureCode(error) {
      const own = rules.failureCode?.(error);
      if (own !== undefined) return own;
      return isDomainError(error) ? error.code : 'INTERNAL_ERROR';
    },
  };
}

/** The back-off before retry `attempt` (1, 2, ...): `baseMs` doubling, capped at `maxMs`. */
export function retryDelayMs(attempt: number, opts: { baseMs: number; maxMs: number }): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(opts.maxMs, opts.baseMs * 2 ** exponent);
}
