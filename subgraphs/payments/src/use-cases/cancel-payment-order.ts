import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { mayOperateAccount } from '../permissions';
import type { PaymentOrderRow } from '../store/payment-order-store';
import type { OrderDeps } from './pay-pix';

/** `cancelPaymentOrder`: an order not sent yet (SCHEDULED, waiting) is CANCELLED, its hold voided; once SENT the domain refuses (CONFLICT INVALID_STATE_TRANSITION). */
export async function cancelPaymentOrder(deps: Pick<OrderDeps, 'orders' | 'processor'>, identity: Identity | null, id: string): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  if (!isUuid(id)) throw badInput('id must be a UUID.', { field: 'id' });
  const row = await deps.orders.findById(id.toLowerCase());
  if (!row || row.direction !== 'OUT' || row.kind !== 'PAYMENT' || !mayOperateAccount(who, row)) throw forbidden();
  return deps.processor.cancel(row);
}
