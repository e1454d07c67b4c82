import type { Outflow, RiskVerdict } from '@baas/policy';
import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import { ScoreTransactionDocument } from './generated/operations';

export class RiskUnavailableError extends Error {
  override name = 'RiskUnavailableError';
}

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
      const data = await client.operation(ScoreTransactionDocument, {
        input: {
          movementId: outflow.id,
          tenantId: outflow.tenantId,
          customerId: outflow.customerId,
          rail: outflow.rail,
          payerAccountId: outflow.accountId,
          payeeAccountId: outflow.payeeAccountId ?? null,
          payerLedgerAccountId: outflow.payerLedgerAccountId ?? null,
          payeeLedgerAccountId: outflow.payeeLedgerAccountId ?? null,
          amount: outflow.amount.toString(),
          currency: outflow.currency,
          occurredAt: outflow.createdAt.toISOString(),
          deviceId: outflow.deviceId ?? null,
          ip: outflow.ip ?? null,
        },
      });
      const a = data.scoreTransaction;
      return { decision: a.decision, reasons: [...a.reasons], assessmentId: a.id };
    },
  };
}

export type RiskClient = ReturnType<typeof createRiskClient>;
