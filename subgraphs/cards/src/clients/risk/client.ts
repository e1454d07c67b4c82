import { riskScoreInput, RiskUnavailableError, type Outflow, type RiskVerdict } from '@baas/policy';
import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import { ScoreTransactionDocument } from './generated/operations';

/**
 * The risk subgraph as cards uses it: `scoreTransaction`, called as the internal service
 * `cards`; idempotent per (tenant, authorisation id): a repeated authorisation
 * gets the same stored assessment.
 */
export function createRiskClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'risk',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'cards', kind: 'service', tenantId: null, scopes: ['risk:score'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error) => new RiskUnavailableError(error.errors.length ? `risk error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  return {
    async score(outflow: Outflow): Promise<RiskVerdict> {
      const { scoreTransaction: a } = await client.operation(ScoreTransactionDocument, { input: riskScoreInput(outflow) });
      return { decision: a.decision, reasons: [...a.reasons], assessmentId: a.id };
    },
  };
}

export type RiskClient = ReturnType<typeof createRiskClient>;
