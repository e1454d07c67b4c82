import type { Resolvers } from '../generated/resolvers-types';
import { fundSandboxAccount } from '../use-cases/fund-sandbox-account';
import { getAccountTransfer } from '../use-cases/get-account-transfer';
import { transferMoney } from '../use-cases/transfer-money';
import type { AccountsContext } from '../context';
import { moneyField as money } from '@baas/money';

const STATUS = { PENDING: 'PENDING', HELD: 'HELD', POSTED: 'POSTED', VOIDED: 'VOIDED', FAILED: 'FAILED' } as const;

/**
 * transfer, accountTransfer, fundSandboxAccount, AccountTransfer (tenant settings: ./settings.ts).
 *
 * Errors vs outcomes: a refusal that depends on money or state (INSUFFICIENT_FUNDS, LIMIT_EXCEEDED,
 * ACCOUNT_FROZEN, ACCOUNT_CLOSED, RISK_DECLINED, ...) is a business outcome of the saga, stored with it
 * and returned as an AccountTransfer with status FAILED (nothing was held) or VOIDED (the hold was
 * released) and its failureCode, so a repeat with the same id returns the same answer. Requests that
 * can never be right (bad input, CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED) and authorisation
 * problems (FORBIDDEN, STEP_UP_REQUIRED) are GraphQL errors and store nothing.
 */
export const transferResolvers: Resolvers = {
  Query: {
    accountTransfer: (_, args, ctx) => getAccountTransfer(ctx.money, ctx.identity, { id: args.id }),
  },
  Mutation: {
    transfer: (_, args, ctx) => transferMoney(ctx.money, ctx.identity, { input: args.input, waitMs: args.waitMs ?? null, client: { ip: ctx.clientAddress ?? null, deviceId: ctx.deviceId ?? null } }),
    fundSandboxAccount: (_, args, ctx) => fundSandboxAccount(ctx.money, ctx.identity, args.input),
  },
  AccountTransfer: {
    // The parent transfer was authorised; the accounts' own fields are guarded by the Account rules.
    // FUNDING has no debited account: null here, but the SDL still says `fromAccount: Account!` (to be made nullable).
    fromAccount: async (t, _, ctx: AccountsContext) => ((t.fromAccountId ? await ctx.loaders.account.load(t.fromAccountId) : null) as never),
    toAccount: async (t, _, ctx) => {
      const row = await ctx.loaders.account.load(t.toAccountId);
      if (!row) throw new Error(`account ${t.toAccountId} of transfer ${t.id} is missing`);
      return row;
    },
    amount: (t) => money(t.amount, t.currency),
    status: (t) => STATUS[t.state as keyof typeof STATUS] ?? 'PENDING',
    createdAt: (t) => t.createdAt.toISOString(),
    failureCode: (t) => t.failureCode,
    description: (t) => t.description,
  },
};
