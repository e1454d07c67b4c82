import DataLoader from 'dataloader';
import { assertCanAccess, requireIdentity, type Identity } from '@baas/auth';
import { forbidden, notFound } from '@baas/errors';
import type { AccountsDb } from '../data/create-prisma';

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
    account: new DataLoader<string, AccountRow | null>(async (ids) => {
      const rows = await db.account.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Accounts per customer, batched across every Customer in the response. */
    byCustomer: new DataLoader<string, AccountRow[]>(async (customerIds) => {
      const rows = await db.account.findMany({ where: { customerId: { in: [...customerIds] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      const grouped = new Map<string, AccountRow[]>();
      for (const row of rows) grouped.set(row.customerId, [...(grouped.get(row.customerId) ?? []), row]);
      return customerIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}

export type AccountsLoaders = ReturnType<typeof createAccountsLoaders>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getVisibleAccount(opts: { id: string; identity: Identity | null; loaders: AccountsLoaders }): Promise<AccountRow> {
  const who = requireIdentity(opts.identity);
  const row = UUID.test(opts.id) ? await opts.loaders.account.load(opts.id) : null;
  if (!row) {
    if (who.kind === 'operator' || who.kind === 'service') throw notFound('Account');
    throw forbidden();
  }
  assertCanAccess(who, { tenantId: row.tenantId, customerId: row.customerId });
  return row;
}

/** A customer's accounts as the caller may see them: customers only their own, API clients their tenant's. */
export async function listCustomerAccounts(opts: { customerId: string; identity: Identity | null; loaders: AccountsLoaders }): Promise<AccountRow[]> {
  const who = requireIdentity(opts.identity);
  if (who.kind === 'customer' && who.subject !== opts.customerId) throw forbidden();
  const rows = UUID.test(opts.customerId) ? await opts.loaders.byCustomer.load(opts.customerId) : [];
  if (who.kind === 'operator' || who.kind === 'service') return rows;
  return rows.filter((row) => row.tenantId === who.tenantId);
}
