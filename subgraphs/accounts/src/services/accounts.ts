import { assertCanAccess, missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { createByIdLoader, createGroupLoader, isUuid } from '@baas/server';
import DataLoader from 'dataloader';
import type { PrismaClient as AccountsDb } from '../generated/prisma/client';
import type { LedgerBalance, LedgerClient } from '../clients/ledger/client';
import type { BalanceReadModel } from './balance-read-model';

export type AccountRow = {
  id: string;
  tenantId: string;
  customerId: string;
  currency: string;
  branch: string;
  number: string;
  checkDigit: string;
  status: string;
  createdAt: Date;
  ledgerAccountId: string | null;
  closedAt?: Date | null;
};

/** A balance as shown: from the read model when fresh enough, else from the ledger (one batched call per request). */
export type BalanceView = LedgerBalance & { seq: bigint | null };

export function createAccountsLoaders(db: AccountsDb, deps: { ledger: LedgerClient; readModel: BalanceReadModel | null }) {
  return {
    balance: new DataLoader<string, BalanceView | null>(async (ids) => {
      const cached = deps.readModel ? await deps.readModel.get(ids).catch(() => ids.map(() => null)) : ids.map(() => null);
      const missing = ids.filter((_, i) => !cached[i]);
      const fetched = missing.length ? await deps.ledger.balances(missing) : [];
      const byId = new Map(missing.map((id, i) => [id, fetched[i] ? { ...fetched[i]!, seq: null } : null]));
      return ids.map((id, i) => cached[i] ?? byId.get(id) ?? null);
    }),
    account: createByIdLoader<string, AccountRow>((ids) => db.account.findMany({ where: { id: { in: ids } } })),
    /** Accounts per customer, batched across every Customer in the response. */
    byCustomer: createGroupLoader<string, AccountRow>(
      (row) => row.customerId,
      (customerIds) => db.account.findMany({ where: { customerId: { in: customerIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ),
  };
}

export type AccountsLoaders = ReturnType<typeof createAccountsLoaders>;

export async function getVisibleAccount(opts: { id: string; identity: Identity | null; loaders: AccountsLoaders }): Promise<AccountRow> {
  const who = requireIdentity(opts.identity);
  const row = isUuid(opts.id) ? await opts.loaders.account.load(opts.id) : null;
  if (!row) throw missingRecord(who, 'Account');
  assertCanAccess(who, { tenantId: row.tenantId, customerId: row.customerId });
  return row;
}

/** A customer's accounts as the caller may see them: customers only their own, API clients their tenant's. */
export async function listCustomerAccounts(opts: { customerId: string; identity: Identity | null; loaders: AccountsLoaders }): Promise<AccountRow[]> {
  const who = requireIdentity(opts.identity);
  if (who.kind === 'customer' && who.subject !== opts.customerId) throw forbidden();
  const rows = isUuid(opts.customerId) ? await opts.loaders.byCustomer.load(opts.customerId) : [];
  if (who.kind === 'operator' || who.kind === 'service') return rows;
  return rows.filter((row) => row.tenantId === who.tenantId);
}
