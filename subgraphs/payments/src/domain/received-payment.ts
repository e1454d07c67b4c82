import { createPaymentOrder, type PaymentOrder, type PaymentRail } from './payment-order';

/**
 * An incoming payment as the receiver's order: it is settled when it reaches us (the rail already
 * moved the money; the credit is one ledger transfer), so it starts SETTLED with its funds POSTED
 * and one history entry CREATED → SETTLED (event SETTLE). Refunds and MED returns of it are
 * recorded on it as RETURNs (returnedAmount), while the money leaves through their own orders.
 */
export function receivedPaymentOrder(input: { id: string; rail: PaymentRail; amount: bigint; currency: string; at: Date }): PaymentOrder {
  const { order } = createPaymentOrder(input);
  return { ...order, state: 'SETTLED', hold: 'POSTED', history: [{ from: 'CREATED', to: 'SETTLED', event: 'SETTLE', at: input.at }] };
}
