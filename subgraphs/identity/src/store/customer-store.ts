import type { Customer } from '../generated/prisma/client';
import type { Db } from './db';

/** A stored customer (PII only sealed, with blind indexes). */
export type CustomerRow = Customer;

export type NewCustomer = Pick<
  CustomerRow,
  'id' | 'tenantId' | 'kind' | 'displayName' | 'taxIdKind' | 'taxIdSealed' | 'taxIdIndex' | 'emailSealed' | 'emailIndex' | 'phoneSealed' | 'phoneIndex' | 'requestHash'
>;

/** Every statement on identity.customer. */
export function createCustomerStore(db: Db) {
  return {
    findByIds: (ids: string[]) => db.customer.findMany({ where: { id: { in: ids } } }),
    find: (id: string) => db.customer.findUnique({ where: { id } }),
    /** Whether a customer of the tenant already has this document (its blind index). */
    existsWithTaxId: async (tenantId: string, taxIdIndex: string) => (await db.customer.findFirst({ where: { tenantId, taxIdIndex }, select: { id: true } })) !== null,
    insert: (data: NewCustomer) => db.customer.create({ data }),
    /** Locks the customer row (FOR UPDATE) until the transaction ends: one customer's changes one at a time. */
    lockForUpdate: async (id: string) => {
      await db.$queryRaw`SELECT id FROM identity.customer WHERE id = ${id}::uuid FOR UPDATE`;
    },
    countInTenant: (tenantId: string) => db.customer.count({ where: { tenantId } }),
    /** The ACTIVE customers of the tenant whose e-mail / phone blind index is `index`, oldest first (at most `take`). */
    activeWithContact: (tenantId: string, channel: 'EMAIL' | 'SMS', index: string, take: number) =>
      db.customer.findMany({
        where: channel === 'EMAIL' ? { tenantId, emailIndex: index, status: 'ACTIVE' } : { tenantId, phoneIndex: index, status: 'ACTIVE' },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take,
      }),
    /** The customer with its tenant's status and mode (the standing other subgraphs ask for). */
    findWithTenant: (tenantId: string, id: string) =>
      db.customer.findFirst({
        where: { id, tenantId },
        select: { id: true, tenantId: true, status: true, tenant: { select: { status: true, sandbox: true } } },
      }),
  };
}

export type CustomerStore = ReturnType<typeof createCustomerStore>;
