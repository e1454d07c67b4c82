import { assertCanAccess, missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { createByIdLoader, createGroupLoader, isUuid } from '@baas/server';
import type { PrismaClient as AccountsDb } from '../generated/prisma/client';

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
};

export function createAccountsLoaders(db: AccountsDb) {
  return {
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
