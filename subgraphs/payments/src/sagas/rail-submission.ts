import type { PaymentOrderRow } from '../store/payment-order-store';
import type { RailName, RailParty, RailSubmission } from '../workers/rail-port';

/** What an order keeps in rail_data for its rail: the payer as the rail names it, and a return's original. */
export type OrderRailData = {
  payer?: RailParty;
  returnOfEndToEndId?: string;
  returnReason?: string;
  pacs008?: string;
  awaitingMedCase?: string;
  [key: string]: unknown;
};

/** The rail message of an order (a payment, or a RETURN for refunds and MED returns). */
export function railSubmission(row: PaymentOrderRow): RailSubmission {
  const data = (row.railData ?? {}) as OrderRailData;
  const payee = (row.counterparty ?? {}) as RailParty;
  const isReturn = row.kind !== 'PAYMENT';
  return {
    endToEndId: row.endToEndId!,
    rail: row.rail as RailName,
    kind: isReturn ? 'RETURN' : 'PAYMENT',
    amount: row.amount.toString(),
    currency: row.currency,
    payer: data.payer ?? { name: 'customer', ispb: '00000000' },
    payee,
    ...(row.description ? { remittance: row.description } : {}),
    ...(isReturn && data.returnOfEndToEndId ? { returnOf: data.returnOfEndToEndId, returnReason: data.returnReason ?? 'MD06' } : {}),
    ...(data.pacs008 ? { message: data.pacs008 } : {}),
    requestedAt: row.createdAt.toISOString(),
  };
}
