import { createFailureClassifier } from '@baas/saga';
import { LedgerRefusedError, LedgerUnavailableError } from '../clients/ledger/client';

/** GraphQL codes the ledger answers for a request it will never accept. */
const LEDGER_PERMANENT = /\b(BAD_USER_INPUT|FORBIDDEN|NOT_FOUND|GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|IDEMPOTENCY_KEY_REUSED)\b/;

/**
 * Which failures of an accounts saga step are retried: @baas/saga's rules (infrastructure is
 * transient) with the ledger client's errors added: a refusal (LedgerRefusedError: a platform
 * account id taken, EXISTS_WITH_DIFFERENT_*) is permanent with its reason; the ledger unreachable is
 * transient unless it answered a code it will answer forever (LEDGER_REFUSED).
 */
export const accountsSagaFailures = createFailureClassifier({
  transient(error) {
    if (error instanceof LedgerRefusedError) return false;
    if (error instanceof LedgerUnavailableError) return !LEDGER_PERMANENT.test(error.message);
    return undefined;
  },
  failureCode(error) {
    if (error instanceof LedgerRefusedError) return error.reason;
    if (error instanceof LedgerUnavailableError) return 'LEDGER_REFUSED';
    return undefined;
  },
});

export const isInfrastructureError = (error: unknown): boolean => accountsSagaFailures.isTransient(error);
export const permanentFailureCode = (error: unknown): string => accountsSagaFailures.failureCode(error);
