import type { Outflow } from '@baas/policy';
import type { PaymentOrderRow } from '../store/payment-order-store';

/** The client's address and device (risk features), as the gateway vouched for them. */
export type OrderClient = { ip?: string | null; deviceId?: string | null };

/** The outflow the policy path judges for an order (the same at request time and in the processor: risk replays its assessment). */
export function orderOutflow(row: Pick<PaymentOrderRow, 'id' | 'rail' | 'tenantId' | 'customerId' | 'accountId' | 'ledgerAccountId' | 'counterpartyAccountId' | 'amount' | 'currency' | 'createdAt' | 'railData'>): Outflow {
  const client = ((row.railData ?? {}) as { client?: OrderClient }).client ?? {};
  return {
    rail: row.rail,
    id: row.id,
    tenantId: row.tenantId,
    customerId: row.customerId,
    accountId: row.accountId,
    payeeAccountId: row.counterpartyAccountId ?? null,
    payerLedgerAccountId: row.ledgerAccountId,
    amount: row.amount,
    currency: row.currency,
    createdAt: row.createdAt,
    ip: client.ip ?? null,
    deviceId: client.deviceId ?? null,
  };
}
