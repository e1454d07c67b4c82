import { maskCnpj, maskCpf, maskEmail, maskPhone } from '@baas/pii';
import type { IdentityContext } from '../context';
import { piiContext } from '../domain/pii-contexts';
import { tenantStatusOf } from '../domain/standing';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../generated/resolvers-types';
import { customerSelfId } from '../permissions';
import { createCustomer } from '../use-cases/create-customer';
import { getCustomer } from '../use-cases/get-customer';
import { getTenant } from '../use-cases/get-tenant';
import { readCustomerStanding } from '../use-cases/read-customer-standing';
import { sendCustomerCode } from '../use-cases/send-customer-code';
import { readTenantStanding } from '../use-cases/read-tenant-standing';
import { stepUpRules } from './shapes';

export const customerQueries: Pick<QueryResolvers<IdentityContext>, 'viewer' | 'me' | 'customer' | 'tenant' | 'customerStanding' | 'tenantStanding'> = {
  viewer: (_, __, ctx) => (ctx.identity ? { ...ctx.identity, scopes: [...ctx.identity.scopes] } : null),
  me: (_, __, ctx) => {
    const self = customerSelfId(ctx.identity);
    return self ? getCustomer(ctx.deps, ctx.identity, self) : null;
  },
  customer: (_, args, ctx) => getCustomer(ctx.deps, ctx.identity, args.id),
  tenant: (_, __, ctx) => (ctx.identity?.tenantId ? getTenant(ctx.deps, ctx.identity, ctx.identity.tenantId) : null),
  // Internal services only (permissions): the identity <-> other subgraphs contract.
  customerStanding: (_, args, ctx) => readCustomerStanding(ctx.deps, ctx.identity, args),
  tenantStanding: (_, args, ctx) => readTenantStanding(ctx.deps, ctx.identity, args),
};

export const customerMutations: Pick<MutationResolvers<IdentityContext>, 'createCustomer' | 'sendCustomerCode'> = {
  createCustomer: async (_, args, ctx) => {
    const out = await createCustomer(ctx.deps, ctx.identity, args.input);
    return { customer: out.customer, status: out.status };
  },
  // Internal services only (permissions): the code goes to the customer's own channel; the caller sees it masked.
  sendCustomerCode: (_, args, ctx) => sendCustomerCode(ctx.deps, ctx.identity, args),
};

export const entityResolvers: Pick<Resolvers<IdentityContext>, 'Customer' | 'Tenant'> = {
  Customer: {
    __resolveReference: (ref, ctx) => getCustomer(ctx.deps, ctx.identity, ref.id),
    tenant: async (customer, _, ctx) => {
      const tenant = await ctx.deps.loaders.tenant.load(customer.tenantId);
      if (!tenant) throw new Error(`customer ${customer.id} has no tenant`); // the foreign key makes this impossible
      return tenant;
    },
    createdAt: (customer) => customer.createdAt.toISOString(),
    maskedTaxId: (c, _, ctx) => {
      if (!c.taxIdSealed) return null;
      const value = ctx.deps.vault.decrypt(c.taxIdSealed, piiContext('taxId', c.tenantId));
      return c.taxIdKind === 'CNPJ' ? maskCnpj(value) : maskCpf(value);
    },
    maskedEmail: (c, _, ctx) => (c.emailSealed ? maskEmail(ctx.deps.vault.decrypt(c.emailSealed, piiContext('email', c.tenantId))) : null),
    maskedPhone: (c, _, ctx) => (c.phoneSealed ? maskPhone(ctx.deps.vault.decrypt(c.phoneSealed, piiContext('phone', c.tenantId))) : null),
  },
  Tenant: {
    __resolveReference: (ref, ctx) => getTenant(ctx.deps, ctx.identity, ref.id),
    status: (tenant) => tenantStatusOf(tenant.status),
    stepUpPolicy: (tenant) => stepUpRules(tenant.stepUpPolicy),
  },
};
