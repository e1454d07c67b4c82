import type { Outflow } from './outflow';

/**
 * A risk call that failed (unreachable, timed out, answered an error): createRiskPort turns it into
 * the tenant's fail mode. Every rail's risk client throws this one class.
 */
export class RiskUnavailableError extends Error {
  override name = 'RiskUnavailableError';
}

/** The rails the risk model knows (subgraphs/risk: fraud-features RAILS). */
const RISK_RAILS = new Set(['TRANSFER', 'FX', 'PIX', 'TED', 'WIRE', 'CARD']);

/**
 * The rail an outflow is scored as: its own where the model knows it, else TRANSFER (a boleto
 * payment or a book transfer between two accounts moves money as a transfer does; the model has
 * no feature of its own for them yet).
 */
export const riskRail = (rail: string): string => (RISK_RAILS.has(rail) ? rail : 'TRANSFER');

/** risk's `scoreTransaction` input for an outflow (the same from every rail's client). */
export function riskScoreInput(outflow: Outflow) {
  return {
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
  };
}
