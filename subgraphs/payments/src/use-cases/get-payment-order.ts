import { requireIdentity, type Identity } from '@baas/auth';
import { isPlatform } from '@baas/authz';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { maySeePayments } from '../permissions';
import type { PaymentOrderRow } from '../store/payment-order-store';

/**
 * A payment order by id, if the caller may see it: null when there is none for operators and
 * services; FORBIDDEN for anyone else whether or not it exists (ids cannot be probed).
 */
export async function getPaymentOrder(deps: { orders: { load(id: string): Promise<PaymentOrderRow | null> } }, identity: Identity | null, id: string): Promise<PaymentOrderRow | null> {
  const who = requireIdentity(identity);
  const row = isUuid(id) ? await deps.orders.load(id.toLowerCase()) : null;
  if (row && maySeePayments(who, row)) return row;
  if (isPlatform(who)) return null;
  throw forbidden();
}
