import type { Prisma, Tenant } from '../generated/prisma/client';
import type { Db } from './db';

/** A stored tenant. */
export type TenantRow = Tenant;

/** Every statement on identity.tenant. */
export function createTenantStore(db: Db) {
  return {
    findByIds: (ids: string[]) => db.tenant.findMany({ where: { id: { in: ids } } }),
    find: (id: string) => db.tenant.findUnique({ where: { id } }),
    insert: (data: { id: string; slug: string; name: string; sandbox: boolean; requestHash: string }) => db.tenant.create({ data }),
    /** Tenants in id order after `after`, at most `take`. */
    page: (after: string | null, take: number) => db.tenant.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take }),
    update: (id: string, data: { sandbox?: boolean; status?: string; stepUpPolicy?: Prisma.InputJsonValue }) => db.tenant.update({ where: { id }, data }),
    /** Locks the tenant row for sharing (a customer being created): a switch to live (FOR UPDATE) waits for it. */
    lockForShare: async (id: string) => {
      await db.$queryRaw`SELECT id FROM identity.tenant WHERE id = ${id}::uuid FOR SHARE`;
    },
    /** Locks the tenant row (FOR UPDATE); false when there is none. */
    lockForUpdate: async (id: string) => (await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM identity.tenant WHERE id = ${id}::uuid FOR UPDATE`).length > 0,
  };
}

export type TenantStore = ReturnType<typeof createTenantStore>;
