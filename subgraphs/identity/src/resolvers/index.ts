import { forbidden } from '@baas/errors';
import type { Redis } from 'ioredis';
import type { IdentityConfig } from '../config';
import type { KeyRing } from '../services/signing-keys';
import type { SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';
import type { PrismaClient as IdentityDb } from '../generated/prisma/client';
import { getVisibleCustomer, type IdentityLoaders, type TenantRow } from '../services/customers';
import type { SessionPolicy } from '../services/sessions';
import type { TokenIssuer } from '../services/token-issuer';
import { authMutations, authQueries } from './auth';
import { signInMutations } from './sign-in';
import { withAuthAudit } from './audited';
import { auditQueries } from './audit';
import { passkeyMutations, passkeyQueries, tenantPolicyResolvers } from './passkeys';
import { maskCnpj, maskCpf, maskEmail, maskPhone, type PiiVault } from '@baas/pii';
import { createCustomer, piiContext } from '../services/create-customer';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { readCustomerStanding, readTenantStanding, tenantStatusOf } from '../use-cases/read-standing';
import { mustBeActiveFor, requireTenant } from '../domain/tenant-rules';
import { tenantMutations, tenantQueries } from './tenants';

export type IdentityContext = SubgraphContext & {
  db: IdentityDb;
  redis: Redis;
  config: IdentityConfig;
  loaders: IdentityLoaders;
  tokens: TokenIssuer;
  keyRing: KeyRing;
  sessionPolicy: SessionPolicy;
  vault: PiiVault;
};

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
    ...passkeyQueries,
    ...auditQueries,
    ...tenantQueries,
    // Internal services only (permissions): the identity <-> other subgraphs contract.
    customerStanding: (_, args, ctx) => readCustomerStanding(ctx.db, args.tenantId, args.customerId),
    tenantStanding: (_, args, ctx) => readTenantStanding(ctx.db, args.tenantId),
  },
  Mutation: withAuthAudit({
    ...authMutations,
    ...signInMutations,
    ...passkeyMutations,
    ...tenantMutations,
    createCustomer: async (_, args, ctx) => {
      const who = ctx.identity;
      if (!who) throw forbidden();
      if (who.kind !== 'operator' && args.input.tenantId != null && args.input.tenantId.toLowerCase() !== who.tenantId) throw forbidden();
      const named = who.kind === 'operator' ? args.input.tenantId : who.tenantId;
      if (named == null) throw badInput('tenantId is required.', { field: 'tenantId' });
      if (!isUuid(args.input.id)) throw badInput('id must be a UUID.', { field: 'id' });
      const allowed = who.kind === 'operator' || (who.kind === 'api_client' && who.scopes.includes('customers:write'));
      if (!allowed) throw forbidden();
      // Unknown or malformed: NOT_FOUND, nothing written; a suspended tenant's client creates nothing.
      const tenantId = (await requireTenant((id) => ctx.loaders.tenant.load(id), named, { active: mustBeActiveFor(who) })).id;
      const out = await createCustomer(ctx.db, ctx.vault, { ...args.input, id: args.input.id.toLowerCase(), tenantId });
      return { customer: out.customer, status: out.status };
    },
  }),
  Customer: {
    __resolveReference: (ref, ctx) => getVisibleCustomer({ id: ref.id, identity: ctx.identity, loaders: ctx.loaders }),
    tenant: async (customer, _, ctx) => {
      const tenant = await ctx.loaders.tenant.load(customer.tenantId);
      if (!tenant) throw new Error(`customer ${customer.id} has no tenant`); // the foreign key makes this impossible
      return tenant;
    },
    createdAt: (customer) => customer.createdAt.toISOString(),
    maskedTaxId: (c, _, ctx) => {
      if (!c.taxIdSealed) return null;
      const value = ctx.vault.decrypt(c.taxIdSealed, piiContext('taxId', c.tenantId));
      return c.taxIdKind === 'CNPJ' ? maskCnpj(value) : maskCpf(value);
    },
    maskedEmail: (c, _, ctx) => (c.emailSealed ? maskEmail(ctx.vault.decrypt(c.emailSealed, piiContext('email', c.tenantId))) : null),
    maskedPhone: (c, _, ctx) => (c.phoneSealed ? maskPhone(ctx.vault.decrypt(c.phoneSealed, piiContext('phone', c.tenantId))) : null),
  },
  Tenant: {
    __resolveReference: (ref, ctx) => visibleTenant(ref.id, ctx),
    status: (tenant) => tenantStatusOf(tenant.status),
    ...tenantPolicyResolvers.Tenant,
  },
};
