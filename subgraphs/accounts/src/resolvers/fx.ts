import type { Resolvers } from '../generated/resolvers-types';
import { getVisibleAccount } from '../services/accounts';
import { executeFxQuote, getVisibleQuote, quoteFx, quoteStatus } from '../services/fx-service';
import { rateProviderFor } from '../services/rates';
import { money } from './money';


/** quoteFx, executeFxQuote, fxQuote, FxQuote. */
export const fxResolvers: Resolvers = {
  Query: {
    fxQuote: (_, args, ctx) => getVisibleQuote(ctx.db, ctx.identity, args.id),
  },
  Mutation: {
    quoteFx: (_, args, ctx) => quoteFx({ ...ctx, rates: rateProviderFor(ctx.config) }, ctx.identity, args.input),
    executeFxQuote: (_, args, ctx) =>
      executeFxQuote({ ...ctx.runtime, loaders: ctx.loaders, rates: rateProviderFor(ctx.config) }, ctx.identity, { id: args.id, quoteId: args.quoteId, waitMs: args.waitMs ?? null }),
  },
  FxQuote: {
    fromAccount: (q, _, ctx) => getVisibleAccount({ id: q.fromAccountId, identity: ctx.identity, loaders: ctx.loaders }),
    toAccount: (q, _, ctx) => getVisibleAccount({ id: q.toAccountId, identity: ctx.identity, loaders: ctx.loaders }),
    sell: (q) => money(q.sellAmount, q.sellCurrency),
    buy: (q) => money(q.buyAmount, q.buyCurrency),
    spread: (q) => money(q.spreadAmount, q.sellCurrency),
    expiresAt: (q) => q.expiresAt.toISOString(),
    status: (q) => quoteStatus(q),
  },
};
