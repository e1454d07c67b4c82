import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { PixChargeDeps } from './use-cases/create-pix-charge';
import type { OrderDeps } from './use-cases/pay-pix';
import type { PixKeyDeps } from './use-cases/register-pix-key';
import type { PaymentOrderRow, PaymentOrderStore } from './store/payment-order-store';

/** The per-request loaders of the payments subgraph: one batched read per entity per request. */
export function createPaymentsLoaders(orders: Pick<PaymentOrderStore, 'findByIds'>) {
  return {
    order: createByIdLoader<string, PaymentOrderRow>((ids) => orders.findByIds(ids)),
  };
}

export type PaymentsLoaders = ReturnType<typeof createPaymentsLoaders>;

/** What the composition root builds once and every request shares: the use cases' deps, per area. */
export type PaymentsDeps = {
  /** Payment orders on every rail: PIX, TED, boleto, wires, refunds, MED. */
  orders: OrderDeps;
  /** The DICT: keys, one-time codes, lookups, claims. */
  keys: PixKeyDeps;
  /** Charges (cob, cobv) and their locations. */
  charges: PixChargeDeps;
};

/** What the payments resolvers receive: the request's identity, its loaders and the shared deps. */
export type PaymentsContext = SubgraphContext & { loaders: PaymentsLoaders; payments: PaymentsDeps };
