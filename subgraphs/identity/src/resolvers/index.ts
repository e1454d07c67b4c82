import { forbidden } from '@baas/errors';
import type { SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';
import type { PrismaClient as IdentityDb } from '../generated/prisma/client';
import { getVisibleCustomer, type IdentityLoaders, type TenantRow } from '../services/customers';
import type { SessionPolicy } from '../services/sessions';
import type { TokenIssuer } from '../services/token-issuer';
import { authMutations, authQueries } from './auth';

export type IdentityContext = SubgraphContext & { db: IdentityDb; loaders: IdentityLoaders; tokens: TokenIssuer; sessionPolicy: SessionPolicy };

const visibleTenant = async (id: string, ctx: IdentityContext): Promise<TenantRow | null> => {
  const who = ctx.identity;
  if (!who) return null;
  if (who.kind !== 'operator' && who.kind !== 'service' && who.tenantId !== id) throw forbidden();
  return ctx.loaders.tenant.load(id);
};

export const resolvers: Resolvers = {
  Query: {
    viewer: (_, __, ctx) => (ctx.identity ? { ...ctx.identity, scopes: [...ctx.identity.scopes] } : null),
    me: (_, __, ctx) =>
      ctx.identity?.kind === 'customer' ? getVisibleCustomer({ id: ctx.identity.subject, identity: ctx.identity, loaders: ctx.loaders }) : null,
    customer: (_, args, ctx) => getVisibleCustomer({ id: args.id, identity: ctx.identity, loaders: ctx.loaders }),
    tenant: (_, __, ctx) => (ctx.identity?.tenantId ? visibleTenant(ctx.identity.tenantId, ctx) : null),
    ...authQueries,
  },
  Mutation: authMutations,
  Customer: {
    __resolveReference: (ref, ctx) => getVisibleCustomer({ id: ref.id, identity: ctx.identity, loaders: ctx.loaders }),
    tenant: async (customer, _, ctx) => {
      const tenant = await ctx.loaders.tenant.load(customer.tenantId);
      if (!tenant) throw new Error(`customer ${customer.id} has no tenant`); // the foreign key makes this impossible
      return tenant;
    },
    createdAt: (customer) => customer.createdAt.toISOString(),
  },
  Tenant: {
    __resolveReference: (ref, ctx) => visibleTenant(ref.id, ctx),
  },
};
