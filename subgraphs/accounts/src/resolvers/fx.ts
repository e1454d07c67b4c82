import type { Resolvers } from '../generated/resolvers-types';
import { getAccount } from '../use-cases/get-account';
import { quoteStatus } from '../domain/outflow';
import { executeFxQuote } from '../use-cases/execute-fx-quote';
import { getFxQuote } from '../use-cases/get-fx-quote';
import { quoteFx } from '../use-cases/quote-fx';
import { moneyField as money } from '@baas/money';


/** quoteFx, executeFxQuote, fxQuote, FxQuote. */
export const fxResolvers: Resolvers = {
  Query: {
    fxQuote: (_, args, ctx) => getFxQuote(ctx.money, ctx.identity, { id: args.id }),
  },
  Mutation: {
    quoteFx: (_, args, ctx) => quoteFx(ctx.money, ctx.identity, args.input),
    executeFxQuote: (_, args, ctx) => executeFxQuote(ctx.money, ctx.identity, { id: args.id, quoteId: args.quoteId, waitMs: args.waitMs ?? null, client: { ip: ctx.clientAddress ?? null, deviceId: ctx.deviceId ?? null } }),
  },
  FxQuote: {
    fromAccount: (q, _, ctx) => getAccount({ accounts: ctx.loaders.account }, ctx.identity, q.fromAccountId),
    toAccount: (q, _, ctx) => getAccount({ accounts: ctx.loaders.account }, ctx.identity, q.toAccountId),
    sell: (q) => money(q.sellAmount, q.sellCurrency),
    buy: (q) => money(q.buyAmount, q.buyCurrency),
    spread: (q) => money(q.spreadAmount, q.sellCurrency),
    expiresAt: (q) => q.expiresAt.toISOString(),
    status: (q) => quoteStatus(q),
  },
};
