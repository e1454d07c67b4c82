import type { Resolvers } from '../generated/resolvers-types';
import { statementCsv, statementPage } from '../services/statements';
import { money } from './money';


/** Account.statement and Account.statementCsv. */
export const statementResolvers: Resolvers = {
  Account: {
    statement: async (account, args, ctx) => {
      const page = await statementPage(ctx, ctx.identity, account, args);
      const m = (v: bigint) => money(v, account.currency);
      return {
        openingBalance: m(page.openingBalance),
        closingBalance: m(page.closingBalance),
        endCursor: page.endCursor,
        hasNextPage: page.hasNextPage,
        entries: page.entries.map((e) => ({
          transferId: e.transferId,
          ledgerTransferId: e.transferId,
          accountTransferId: e.accountTransferId,
          at: e.at.toISOString(),
          amount: m(e.amount),
          runningBalance: m(e.runningBalance),
          description: e.description,
          counterpartyAccountId: e.counterpartyAccountId,
        })),
      };
    },
    statementCsv: (account, args, ctx) => statementCsv(ctx, ctx.identity, account, args),
  },
};
