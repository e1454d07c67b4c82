import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { amountArg, isUuid } from '@baas/server';
import { newReturnId } from '../domain/pix-ids';
import { assertRefundable, isRefundReason } from '../domain/pix-refunds';
import { mayOperateAccount } from '../permissions';
import type { OrderRailData } from '../sagas/rail-submission';
import type { PaymentOrderRow } from '../store/payment-order-store';
import { loadPayingAccount } from './load-paying-account';
import { orderBasics, type OrderDeps } from './pay-pix';
import { payerParty, submitPaymentOrder, type OrderClient, type OrderDraft } from './submit-payment-order';

const GIVING_BACK = ['FAILED', 'CANCELLED', 'DENIED'];

/** The refunds and MED returns of a payment received that still count (not failed or cancelled). */
export async function returnsSoFar(deps: Pick<OrderDeps, 'orders'>, original: PaymentOrderRow): Promise<bigint[]> {
  return (await deps.orders.findReturnsOf(original.id)).filter((r) => !GIVING_BACK.includes(r.state)).map((r) => r.amount);
}

/** The order that gives money back for a PIX received (a refund or a MED return): a RETURN to its payer. */
export function returnDraft(deps: Pick<OrderDeps, 'settings'>, original: PaymentOrderRow, draft: Pick<OrderDraft, 'id' | 'kind' | 'account' | 'amount' | 'requestHash'> & { reason: string; railData?: OrderRailData }): OrderDraft {
  const payer = ((original.railData ?? {}) as OrderRailData).payer;
  return {
    ...draft,
    rail: 'PIX',
    endToEndId: newReturnId(deps.settings.ispb, new Date()),
    counterparty: payer ?? { name: 'payer', ispb: '00000000' },
    counterpartyAccountId: original.counterpartyAccountId,
    returnOfId: original.id,
    description: null,
    railData: { payer: payerParty(deps, draft.account), returnOfEndToEndId: original.endToEndId!, returnReason: draft.reason, ...draft.railData },
  };
}

export type RefundPixInput = { id: string; orderId: string; amount: string; reason?: string | null; waitMs?: number | null };

/**
 * `refundPix` (devolução): the receiver of a PIX gives part or all of it back, within 90 days of
 * its settlement, the refunds (and MED returns) together never above the original
 * (REFUND_EXCEEDS_ORIGINAL, REFUND_WINDOW_EXPIRED). A refund is an order of its own (hold, SPI,
 * settle); the payer's payment records it as a return.
 */
export async function refundPix(deps: OrderDeps, identity: Identity | null, input: RefundPixInput, client?: OrderClient): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  const { id, waitMs } = orderBasics(input);
  if (!isUuid(input.orderId)) throw badInput('orderId must be a UUID.', { field: 'orderId' });
  const amount = amountArg(input.amount, 'amount');
  const reason = input.reason ?? 'MD06';
  if (!isRefundReason(reason)) throw badInput('reason must be BE08, FR01, MD06 or SL02.', { field: 'reason' });
  const original = await deps.orders.findById(input.orderId.toLowerCase());
  if (!original || !mayOperateAccount(who, original)) throw forbidden();
  if (original.direction !== 'IN' || original.rail !== 'PIX' || original.kind !== 'PAYMENT') throw badInput('Only a PIX received can be refunded.', { field: 'orderId', reason: 'NOT_A_PIX_RECEIVED' });
  const account = await loadPayingAccount(deps.accounts, who, original.accountId);
  const replay = await deps.orders.findById(id);
  if (!replay) assertRefundable({ original: original.amount, refunded: await returnsSoFar(deps, original), settledAt: original.settledAt ?? original.createdAt, now: new Date(), requested: amount });
  const draft = returnDraft(deps, original, { id, kind: 'REFUND', account, amount, reason, requestHash: requestFingerprint('pix-refund/v1', { order: original.id, amount, reason }) });
  return submitPaymentOrder(deps, who, draft, { waitMs, ...(client ? { client } : {}) });
}
