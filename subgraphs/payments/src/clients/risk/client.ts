import type { Outflow, RiskVerdict } from '@baas/policy';
import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import { ScoreTransactionDocument } from './generated/operations';

/** Risk could not answer (unreachable, timeout, an error): @baas/policy's createRiskPort applies the tenant's fail mode. */
export class RiskUnavailableError extends Error {
  override name = 'RiskUnavailableError';
}

/** The rail risk knows a payment order's rail by (boleto payments and book transfers score as transfers). */
const riskRail = (rail: string): string => (rail === 'PIX' || rail === 'TED' || rail === 'WIRE' ? rail : 'TRANSFER');

/**
 * The risk subgraph as payments uses it: `scoreTransaction`, called as the internal service
 * `payments`; idempotent per (tenant, order id): the request and the order processor's policy step
 * get the same stored assessment.
 */
export function createRiskClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'risk',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'payments', kind: 'service', tenantId: null, scopes: ['risk:score'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error) => new RiskUnavailableError(error.errors.length ? `risk error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  return {
    async score(outflow: Outflow): Promise<RiskVerdict> {
      const { scoreTransaction: a } = await client.operation(ScoreTransactionDocument, {
        input: {
          movementId: outflow.id,
          tenantId: outflow.tenantId,
          customerId: outflow.customerId,
          rail: riskRail(outflow.rail),
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
      return { decision: a.decision, reasons: [...a.reasons], assessmentId: a.id };
    },
  };
}

export type RiskClient = ReturnType<typeof createRiskClient>;
