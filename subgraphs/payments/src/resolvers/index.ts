import type { Resolvers } from '../generated/resolvers-types';
import { getPayment } from '../use-cases/get-payment';

const money = (amount: bigint, currency: string) => ({ minorUnits: amount.toString(), currency });

export const resolvers: Resolvers = {
  Query: {
    payment: (_, args, ctx) => getPayment({ payments: ctx.loaders.payment }, ctx.identity, args.id),
  },
  Payment: {
    __resolveReference: (ref, ctx) => getPayment({ payments: ctx.loaders.payment }, ctx.identity, ref.id),
    amount: (row) => money(row.amount, row.currency),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
