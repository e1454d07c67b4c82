import { unauthenticated } from '@baas/errors';
import { moneyField } from '@baas/money';
import type { MutationResolvers, PixChargeResolvers, QueryResolvers } from '../generated/resolvers-types';
import type { PaymentsContext } from '../context';
import { cancelPixCharge } from '../use-cases/cancel-pix-charge';
import { chargeBrCode, chargeLocation, createPixCharge } from '../use-cases/create-pix-charge';
import { chargeAmountDue, getPixCharge } from '../use-cases/get-pix-charge';
import { readBrCode } from '../use-cases/read-br-code';

const who = (ctx: PaymentsContext) => {
  if (!ctx.identity) throw unauthenticated();
  return ctx.identity;
};

/** Query.pixCharge and Query.parseBrCode. */
export const pixChargeQueries: Pick<QueryResolvers, 'pixCharge' | 'parseBrCode'> = {
  pixCharge: (_, { txid }, ctx) => getPixCharge(ctx.payments.charges, who(ctx), txid),
  parseBrCode: (_, { payload }) => {
    const info = readBrCode(payload);
    return { ...info, amount: info.amount === null ? null : moneyField(info.amount, 'BRL') };
  },
};

/** Mutation.createPixCharge and Mutation.cancelPixCharge. */
export const pixChargeMutations: Pick<MutationResolvers, 'createPixCharge' | 'cancelPixCharge'> = {
  createPixCharge: (_, { input }, ctx) => createPixCharge(ctx.payments.charges, who(ctx), input),
  cancelPixCharge: (_, { txid }, ctx) => cancelPixCharge(ctx.payments.charges, who(ctx), txid),
};

/** PixCharge's fields over a PixChargeRow. */
export const pixChargeTypes: { PixCharge: PixChargeResolvers } = {
  PixCharge: {
    amount: (row) => moneyField(row.amount, row.currency),
    amountDue: (row, _, ctx) => moneyField(chargeAmountDue(ctx.payments.charges, row), row.currency),
    location: (row, _, ctx) => chargeLocation(ctx.payments.charges, row),
    brCode: (row, _, ctx) => chargeBrCode(ctx.payments.charges, row),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
