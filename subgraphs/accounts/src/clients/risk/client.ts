import { riskScoreInput, RiskUnavailableError, type Outflow, type RiskVerdict } from '@baas/policy';
import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import { ScoreTransactionDocument } from './generated/operations';

/**
 * The risk subgraph as accounts uses it: `scoreTransaction` (score-transaction.graphql, compiled by
 * codegen against risk's own SDL), called as the internal service `accounts`. Idempotent per
 * (tenant, outflow id): the request and the saga's RISK step ask with the same id and get the same
 * stored assessment. Any failed call (unreachable, timeout, an error answered) is a
 * RiskUnavailableError; @baas/policy's createRiskPort turns it into the tenant's fail mode.
 */
export function createRiskClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'risk',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'accounts', kind: 'service', tenantId: null, scopes: ['risk:score'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error) => new RiskUnavailableError(error.errors.length ? `risk error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  return {
    async score(outflow: Outflow): Promise<RiskVerdict> {
      const data = await client.operation(ScoreTransactionDocument, { input: riskScoreInput(outflow) });
      const a = data.scoreTransaction;
      return { decision: a.decision, reasons: [...a.reasons], assessmentId: a.id };
    },
  };
}

export type RiskClient = ReturnType<typeof createRiskClient>;
