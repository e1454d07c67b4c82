import { moneyField } from '@baas/money';
import type { Resolvers } from '../generated/resolvers-types';
import { getStatementCsv } from '../use-cases/get-statement-csv';
import { getStatementPage } from '../use-cases/get-statement-page';

/** Account.statement and Account.statementCsv. */
export const statementResolvers: Resolvers = {
  Account: {
    statement: async (account, args, ctx) => {
      const page = await getStatementPage({ ledger: ctx.ledger, accounts: ctx.loaders.account }, ctx.identity, account, args);
      const m = (v: bigint) => moneyField(v, account.currency);
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
    statementCsv: (account, args, ctx) => getStatementCsv({ ledger: ctx.ledger, accounts: ctx.loaders.account }, ctx.identity, account, args),
  },
};
