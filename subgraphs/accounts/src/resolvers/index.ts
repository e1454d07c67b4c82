import type { SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';
import type { PrismaClient as AccountsDb } from '../generated/prisma/client';
import { getVisibleAccount, listCustomerAccounts, type AccountsLoaders } from '../services/accounts';

export type AccountsContext = SubgraphContext & { db: AccountsDb; loaders: AccountsLoaders };

export const resolvers: Resolvers = {
  Query: {
    account: (_, args, ctx) => getVisibleAccount({ id: args.id, identity: ctx.identity, loaders: ctx.loaders }),
  },
  Account: {
    __resolveReference: (ref, ctx) => getVisibleAccount({ id: ref.id, identity: ctx.identity, loaders: ctx.loaders }),
    customer: (account) => ({ id: account.customerId }),
    createdAt: (account) => account.createdAt.toISOString(),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    accounts: (customer, _, ctx) =>
      listCustomerAccounts({ customerId: customer.id, identity: ctx.identity, loaders: ctx.loaders }),
  },
};
