import type { Redis } from 'ioredis';
import type { SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';
import type { PrismaClient as AccountsDb } from '../generated/prisma/client';
import type { AccountsConfig } from '../config';
import type { LedgerClient } from '../clients/ledger/client';
import type { IdentityDirectory } from '../clients/identity';
import type { AccountsRuntime } from '../runtime';
import { getVisibleAccount, listCustomerAccounts, type AccountsLoaders } from '../services/accounts';
import { changeStatus, openAccount } from '../services/open-account';
import { transferResolvers } from './transfers';
import { fxResolvers } from './fx';
import { statementResolvers } from './statements';
import { settingsResolvers } from './settings';
import { money } from './money';

export type AccountsContext = SubgraphContext & {
  db: AccountsDb;
  redis: Redis;
  ledger: LedgerClient;
  /** Who the customers and tenants are (identity's standing queries). */
  directory: IdentityDirectory;
  config: AccountsConfig;
  runtime: AccountsRuntime;
  loaders: AccountsLoaders;
};


export const resolvers: Resolvers = {
  Query: {
    account: (_, args, ctx) => getVisibleAccount({ id: args.id, identity: ctx.identity, loaders: ctx.loaders }),
    ...transferResolvers.Query,
    ...fxResolvers.Query,
    ...settingsResolvers.Query,
  },
  Mutation: {
    openAccount: (_, args, ctx) => openAccount(ctx, ctx.identity, args.input),
    freezeAccount: (_, args, ctx) => changeStatus(ctx, ctx.identity, args.id, 'FROZEN'),
    unfreezeAccount: (_, args, ctx) => changeStatus(ctx, ctx.identity, args.id, 'ACTIVE'),
    closeAccount: (_, args, ctx) => changeStatus(ctx, ctx.identity, args.id, 'CLOSED'),
    ...transferResolvers.Mutation,
    ...fxResolvers.Mutation,
    ...settingsResolvers.Mutation,
  },
  Account: {
    __resolveReference: (ref, ctx) => getVisibleAccount({ id: ref.id, identity: ctx.identity, loaders: ctx.loaders }),
    customer: (account) => ({ id: account.customerId }),
    createdAt: (account) => account.createdAt.toISOString(),
    ledgerAccount: (account) => ({ id: account.ledgerAccountId ?? account.id }),
    balance: async (account, _, ctx) => {
      const b = await ctx.loaders.balance.load(account.ledgerAccountId ?? account.id);
      const zero = { posted: 0n, pendingDebits: 0n, pendingCredits: 0n, available: 0n, seq: null };
      const v = b ?? zero;
      return {
        posted: money(v.posted, account.currency),
        pendingDebits: money(v.pendingDebits, account.currency),
        pendingCredits: money(v.pendingCredits, account.currency),
        available: money(v.available, account.currency),
        asOfSeq: v.seq?.toString() ?? null,
      };
    },
    ...statementResolvers.Account,
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    accounts: (customer, _, ctx) => listCustomerAccounts({ customerId: customer.id, identity: ctx.identity, loaders: ctx.loaders }),
  },
  AccountTransfer: transferResolvers.AccountTransfer,
  FxQuote: fxResolvers.FxQuote,
};
