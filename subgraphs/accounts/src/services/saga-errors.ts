import { isDomainError } from '@baas/errors';
import { LedgerRefusedError, LedgerUnavailableError } from '../clients/ledger/client';

/**
 * Which failures of a saga step are worth retrying. Infrastructure (the ledger or PostgreSQL down,
 * restarting, timing out, a serialisation conflict) goes away by itself: the saga stays where it is
 * and recovery resumes it. Everything else is permanent (the ledger refused a platform account
 * whose id is taken, EXISTS_WITH_DIFFERENT_*, an account gone, a bad request, a bug): repeating the
 * step gets the same answer, so the saga ends FAILED (or, when money is held, is voided) with a
 * failure code instead of being retried forever.
 */
const INFRA_CODES = new Set([
  // Prisma: cannot reach / timed out / closed / pool timeout / transaction conflict
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034',
  // Node sockets
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET',
]);
/** SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (shutdown), 40 serialisation/deadlock. */
const INFRA_SQLSTATE = /^(08|53|57|40)[0-9A-Z]{3}$/;
const INFRA_MESSAGE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connection (is )?closed|terminating connection|shutting down|Can't reach database|timed out|timeout/i;
/** GraphQL codes the ledger answers for a request it will never accept. */
const LEDGER_PERMANENT = /\b(BAD_USER_INPUT|FORBIDDEN|NOT_FOUND|GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|IDEMPOTENCY_KEY_REUSED)\b/;

export function isInfrastructureError(error: unknown): boolean {
  if (error instanceof LedgerRefusedError) return false;
  if (error instanceof LedgerUnavailableError) return !LEDGER_PERMANENT.test(error.message);
  if (isDomainError(error)) return error.code === 'SUBGRAPH_UNAVAILABLE';
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'PrismaClientInitializationError' || name === 'PrismaClientRustPanicError') return true;
    if (typeof code === 'string' && (INFRA_CODES.has(code) || INFRA_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && INFRA_MESSAGE.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The failure code a permanent error leaves on the saga. */
export function permanentFailureCode(error: unknown): string {
  if (error instanceof LedgerRefusedError) return error.reason;
  if (isDomainError(error)) return error.code;
  if (error instanceof LedgerUnavailableError) return 'LEDGER_REFUSED';
  return 'INTERNAL_ERROR';
}
