import { requireIdentity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import { createTenant, listTenants, setTenantStatus, switchTenantToLive } from '../use-cases/manage-tenants';
import type { IdentityContext } from './index';

/** Operators only (the permissions say so too; this is the resolver's own check). */
function operator(ctx: IdentityContext): void {
  if (requireIdentity(ctx.identity).kind !== 'operator') throw forbidden();
}

/** Tenant management for operators (issue 10 item 10). */
export const tenantQueries: Pick<QueryResolvers<IdentityContext>, 'tenants'> = {
  tenants: async (_, args, ctx) => {
    operator(ctx);
    return listTenants(ctx.db, args);
  },
};

export const tenantMutations: Pick<MutationResolvers<IdentityContext>, 'createTenant' | 'switchTenantToLive' | 'suspendTenant' | 'reactivateTenant'> = {
  createTenant: async (_, args, ctx) => {
    operator(ctx);
    return createTenant(ctx.db, args.input);
  },
  switchTenantToLive: async (_, args, ctx) => {
    operator(ctx);
    return switchTenantToLive(ctx.db, args.tenantId);
  },
  suspendTenant: async (_, args, ctx) => {
    operator(ctx);
    return setTenantStatus(ctx.db, args.tenantId, 'SUSPENDED');
  },
  reactivateTenant: async (_, args, ctx) => {
    operator(ctx);
    return setTenantStatus(ctx.db, args.tenantId, 'ACTIVE');
  },
};
