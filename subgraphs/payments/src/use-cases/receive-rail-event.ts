import type { RailEvent, IncomingEvent } from '@baas/rails';
import { isDomainError } from '@baas/errors';
import { derivedUuid } from '@baas/server';
import type { SagaLogger } from '@baas/saga';
import type { AccountsClient } from '../clients/accounts/client';
import { paymentOrderEventType } from '../domain/payment-order';
import { maskAnyPixKey } from '../domain/masking';
import { receivedPaymentOrder } from '../domain/received-payment';
import { creditIncoming, type EffectDeps } from '../sagas/order-effects';
import type { OrderProcessor } from '../sagas/order-processor';
import type { PaymentOrderStore } from '../store/payment-order-store';

export type RailEventDeps = EffectDeps & {
  orders: Pick<PaymentOrderStore, 'findById' | 'findByEndToEndId' | 'insert'>;
  processor: Pick<OrderProcessor, 'move' | 'fail' | 'settle'>;
  accounts: Pick<AccountsClient, 'account'>;
  /** The ACTIVE key's account (our DICT). */
  accountOfKey(value: string): Promise<string | null>;
  /** Concludes a charge paid by an incoming payment (idempotent). */
  concludeCharge(txid: string, payment: { orderId: string; amount: bigint; at: Date }): Promise<unknown>;
  ensureAccounts(currency: string): Promise<void>;
  logger: SagaLogger;
};

/** The id of the receiver's order of an incoming payment (derived: a redelivered event finds it). */
export const incomingOrderId = (endToEndId: string): string => derivedUuid(`payments:in:${endToEndId}`);

/** A payment from another institution (or another of our customers, on-us) arrives: credit the receiver, record it, conclude its charge. */
async function receiveIncoming(deps: RailEventDeps, e: IncomingEvent): Promise<void> {
  if (e.kind === 'RETURN') {
    // Money we sent comes back (a refund or a MED return by the receiver): the original order's return.
    const original = e.returnOf ? await deps.orders.findByEndToEndId(e.returnOf, 'OUT') : null;
    if (!original) {
      deps.logger.warn({ endToEndId: e.endToEndId }, 'a return arrived for a payment we do not know; ignored');
      return;
    }
    await deps.processor.move(original, { type: 'RETURN', returnId: e.endToEndId, amount: BigInt(e.amount), reason: e.returnReason ?? 'MD06' });
    return;
  }
  const id = incomingOrderId(e.endToEndId);
  if (await deps.orders.findById(id)) return;
  const accountId = e.payee.accountId ?? (e.payee.pixKey ? await deps.accountOfKey(e.payee.pixKey) : null);
  const account = accountId ? await deps.accounts.account(accountId) : null;
  if (!account || account.status === 'CLOSED' || account.currency !== e.currency) {
    deps.logger.warn({ endToEndId: e.endToEndId }, 'an incoming payment names no open account of ours in its currency; not credited');
    return;
  }
  await deps.ensureAccounts(e.currency);
  const at = new Date(e.receivedAt);
  const amount = BigInt(e.amount);
  await creditIncoming(deps, { id, rail: e.rail, currency: e.currency, amount, ledgerAccountId: account.ledgerAccountId, endToEndId: e.endToEndId });
  // On-us: the payer's order is ours, and names the charge it paid.
  const payerOrder = await deps.orders.findByEndToEndId(e.endToEndId, 'OUT');
  const order = receivedPaymentOrder({ id, rail: e.rail, amount, currency: e.currency, at });
  await deps.orders.insert(
    {
      id,
      tenantId: account.tenantId,
      customerId: account.customerId,
      accountId: account.id,
      ledgerAccountId: account.ledgerAccountId,
      direction: 'IN',
      kind: 'PAYMENT',
      feeAmount: 0n,
      endToEndId: e.endToEndId,
      returnOfId: null,
      counterparty: { name: e.payer.name, ispb: e.payer.ispb, ...(e.payer.branch ? { branch: e.payer.branch } : {}), ...(e.payer.documentMasked ? { documentMasked: e.payer.documentMasked } : {}) },
      counterpartyAccountId: payerOrder?.accountId ?? null,
      pixKey: e.payee.pixKey ? maskAnyPixKey(e.payee.pixKey) : null,
      chargeTxid: payerOrder?.chargeTxid ?? null,
      description: e.remittance ?? null,
      railData: { payer: e.payer },
      requestHash: `rail:${e.endToEndId}`,
      nextAttemptAt: null,
    },
    { order, effects: [{ type: 'PUBLISH', eventType: paymentOrderEventType('SETTLED'), orderId: id, from: null, to: 'SETTLED' }], changed: true },
    null,
  );
  if (payerOrder?.chargeTxid) await deps.concludeCharge(payerOrder.chargeTxid, { orderId: id, amount, at });
}

/**
 * Applies one rail event to our orders (idempotent: a redelivery finds the move already made). An
 * event the order's state machine refuses (a settlement for an order already FAILED or CANCELLED, a
 * rejection after settlement) is a reconciliation exception: logged at error level with the order,
 * its state and the event (no parties, no amounts) and acked, never redelivered forever.
 */
export async function receiveRailEvent(deps: RailEventDeps, event: RailEvent): Promise<void> {
  if (event.type === 'incoming') return receiveIncoming(deps, event.data);
  const row = await deps.orders.findByEndToEndId(event.data.endToEndId, 'OUT');
  if (!row) return;
  try {
    switch (event.type) {
      case 'settled':
        // Also records a refund's or MED return's settlement on the payment it returns.
        await deps.processor.settle(row);
        return;
      case 'rejected':
        await deps.processor.fail(row, event.data.reason);
        return;
      case 'returned':
        // On-us money comes back only through the receiver's refund (an incoming RETURN): a bank
        // return of an on-us payment would credit the payer while the payee kept the money.
        if (await deps.orders.findByEndToEndId(event.data.endToEndId, 'IN')) {
          deps.logger.error({ orderId: row.id, state: row.state, railEvent: event.type }, 'a rail return of an on-us payment; ignored, left for reconciliation');
          return;
        }
        await deps.processor.move(row, { type: 'RETURN', returnId: event.data.returnId, amount: BigInt(event.data.amount), reason: event.data.reason });
        return;
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const current = (await deps.orders.findById(row.id)) ?? row;
    deps.logger.error({ orderId: row.id, state: current.state, railEvent: event.type, code: error.code, reason: error.details?.reason }, 'a rail event conflicts with the payment order; left for reconciliation');
  }
}
