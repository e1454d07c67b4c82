import type { Identity } from '@baas/auth';
import { isUuid, requireInternal } from '@baas/server';
import type { PaymentRow } from '../store/payment-store';

export type GetPaymentDeps = { payments: { load(id: string): Promise<PaymentRow | null> } };

/**
 * A payment by id. Until the payments issue defines customer access, only operators and internal
 * services may read (UNAUTHENTICATED / FORBIDDEN otherwise, before any read); an id that is not a
 * UUID is absent (null) without a read.
 */
export async function getPayment(deps: GetPaymentDeps, identity: Identity | null, id: string): Promise<PaymentRow | null> {
  requireInternal(identity);
  return isUuid(id) ? deps.payments.load(id) : null;
}
