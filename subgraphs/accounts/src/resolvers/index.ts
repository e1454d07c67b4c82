import { moneyField } from '@baas/money';
import type { Resolvers } from '../generated/resolvers-types';
import { getAccount } from '../use-cases/get-account';
import { listCustomerAccounts } from '../use-cases/list-customer-accounts';
import { openAccount } from '../use-cases/open-account';
import { changeAccountStatus } from '../use-cases/change-account-status';
import { transferResolvers } from './transfers';
import { fxResolvers } from './fx';
import { statementResolvers } from './statements';
import { settingsResolvers } from './settings';

const ZERO = { posted: 0n, pendingDebits: 0n, pendingCredits: 0n, available: 0n, seq: null };

export const resolvers: Resolvers = {
  Query: {
    account: (_, args, ctx) => getAccount({ accounts: ctx.loaders.account }, ctx.identity, args.id),
    ...transferResolvers.Query,
    ...fxResolvers.Query,
    ...settingsResolvers.Query,
  },
  Mutation: {
    openAccount: (_, args, ctx) => openAccount(ctx, ctx.identity, args.input),
    freezeAccount: (_, args, ctx) => changeAccountStatus(ctx, ctx.identity, { id: args.id, to: 'FROZEN' }),
    unfreezeAccount: (_, args, ctx) => changeAccountStatus(ctx, ctx.identity, { id: args.id, to: 'ACTIVE' }),
    closeAccount: (_, args, ctx) => changeAccountStatus(ctx, ctx.identity, { id: args.id, to: 'CLOSED' }),
    ...transferResolvers.Mutation,
    ...fxResolvers.Mutation,
    ...settingsResolvers.Mutation,
  },
  Account: {
    __resolveReference: (ref, ctx) => getAccount({ accounts: ctx.loaders.account }, ctx.identity, ref.id),
    customer: (account) => ({ id: account.customerId }),
    createdAt: (account) => account.createdAt.toISOString(),
    ledgerAccount: (account) => ({ id: account.ledgerAccountId ?? account.id }),
    balance: async (account, _, ctx) => {
      const v = (await ctx.loaders.balance.load(account.ledgerAccountId ?? account.id)) ?? ZERO;
      return {
        posted: moneyField(v.posted, account.currency),
        pendingDebits: moneyField(v.pendingDebits, account.currency),
        pendingCredits: moneyField(v.pendingCredits, account.currency),
        available: moneyField(v.available, account.currency),
        asOfSeq: v.seq?.toString() ?? null,
      };
    },
    ...statementResolvers.Account,
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    accounts: (customer, _, ctx) => listCustomerAccounts({ accountsByCustomer: ctx.loaders.byCustomer }, ctx.identity, customer.id),
  },
  AccountTransfer: transferResolvers.AccountTransfer,
  FxQuote: fxResolvers.FxQuote,
};
