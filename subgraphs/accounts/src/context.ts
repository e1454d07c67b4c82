import type { Redis } from 'ioredis';
import DataLoader from 'dataloader';
import { createByIdLoader, createGroupLoader, type SubgraphContext } from '@baas/server';
import type { LedgerBalance, LedgerClient } from './clients/ledger/client';
import type { KycClient } from './clients/kyc/client';
import type { IdentityDirectory } from './clients/identity';
import type { AccountsConfig } from './config';
import type { PrismaClient } from './generated/prisma/client';
import type { ExecuteFxQuoteDeps } from './use-cases/execute-fx-quote';
import type { FundSandboxAccountDeps } from './use-cases/fund-sandbox-account';
import type { QuoteFxDeps } from './use-cases/quote-fx';
import type { TransferMoneyDeps } from './use-cases/transfer-money';
import type { AccountRow, AccountStore } from './store/account-store';
import type { AccountsSagaStore } from './store/saga-store';
import type { TenantSettingsStore } from './store/tenant-settings-store';
import type { BalanceReadModel } from './workers/balance-read-model';

/** A balance as shown: from the read model when fresh enough, else from the ledger (one batched call per request). */
export type BalanceView = LedgerBalance & { seq: bigint | null };

/** The per-request loaders: one batched read per entity per request. */
export function createAccountsLoaders(deps: { accounts: Pick<AccountStore, 'findByIds' | 'findByCustomerIds'>; ledger: Pick<LedgerClient, 'balances'>; readModel: BalanceReadModel | null }) {
  return {
    balance: new DataLoader<string, BalanceView | null>(async (ids) => {
      const cached = deps.readModel ? await deps.readModel.get(ids).catch(() => ids.map(() => null)) : ids.map(() => null);
      const missing = ids.filter((_, i) => !cached[i]);
      const fetched = missing.length ? await deps.ledger.balances(missing) : [];
      const byId = new Map(missing.map((id, i) => [id, fetched[i] ? { ...fetched[i]!, seq: null } : null]));
      return ids.map((id, i) => cached[i] ?? byId.get(id) ?? null);
    }),
    account: createByIdLoader<string, AccountRow>((ids) => deps.accounts.findByIds(ids)),
    /** Accounts per customer, batched across every Customer in the response. */
    byCustomer: createGroupLoader<string, AccountRow>((row) => row.customerId, (customerIds) => deps.accounts.findByCustomerIds(customerIds)),
  };
}

export type AccountsLoaders = ReturnType<typeof createAccountsLoaders>;

/** What the accounts use cases are given (each names the part it uses). */
export type AccountsDeps = {
  accounts: AccountStore;
  /** Every statement on the saga table (transfers, fundings, FX executions). */
  sagas: AccountsSagaStore;
  tenantSettings: TenantSettingsStore;
  ledger: LedgerClient;
  /** Who the customers and tenants are (identity's standing queries). */
  directory: IdentityDirectory;
  /** The customers' KYC levels (kyc's internal customerKycLevel), for tenants that require one to open. */
  kyc: KycClient;
  config: AccountsConfig;
};

/** What the accounts resolvers receive: the request's identity, the use cases' deps and the request's loaders. */
export type AccountsContext = SubgraphContext &
  AccountsDeps & {
    loaders: AccountsLoaders;
    /** The transfer and FX side: the saga engine, its stores and the policy ports (create-accounts-subgraph.ts). */
    money: MoneyMovementDeps;
    db: PrismaClient;
    redis: Redis;
  };

/** What the transfer, funding and FX use cases are given (each names the part it uses). */
export type MoneyMovementDeps = TransferMoneyDeps & FundSandboxAccountDeps & QuoteFxDeps & ExecuteFxQuoteDeps;
