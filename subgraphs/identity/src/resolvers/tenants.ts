import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from '../context';
import { createTenant } from '../use-cases/create-tenant';
import { listTenants } from '../use-cases/list-tenants';
import { setTenantStatus } from '../use-cases/set-tenant-status';
import { switchTenantToLive } from '../use-cases/switch-tenant-to-live';

/** Tenant management for operators (issue 10 item 10). */
export const tenantQueries: Pick<QueryResolvers<IdentityContext>, 'tenants'> = {
  tenants: (_, args, ctx) => listTenants(ctx.deps, ctx.identity, args),
};

export const tenantMutations: Pick<MutationResolvers<IdentityContext>, 'createTenant' | 'switchTenantToLive' | 'suspendTenant' | 'reactivateTenant'> = {
  createTenant: (_, args, ctx) => createTenant(ctx.deps, ctx.identity, args.input),
  switchTenantToLive: (_, args, ctx) => switchTenantToLive(ctx.deps, ctx.identity, args),
  suspendTenant: (_, args, ctx) => setTenantStatus(ctx.deps, ctx.identity, { tenantId: args.tenantId, status: 'SUSPENDED' }),
  reactivateTenant: (_, args, ctx) => setTenantStatus(ctx.deps, ctx.identity, { tenantId: args.tenantId, status: 'ACTIVE' }),
};
