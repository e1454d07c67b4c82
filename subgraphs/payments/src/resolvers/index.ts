import type { Resolvers } from '../generated/resolvers-types';
import { moneyField } from '@baas/money';
import { getPayment } from '../use-cases/get-payment';

export const resolvers: Resolvers = {
  Query: {
    payment: (_, args, ctx) => getPayment({ payments: ctx.loaders.payment }, ctx.identity, args.id),
  },
  Payment: {
    __resolveReference: (ref, ctx) => getPayment({ payments: ctx.loaders.payment }, ctx.identity, ref.id),
    amount: (row) => moneyField(row.amount, row.currency),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
