import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { CustomerRow } from './store/customer-store';
import type { IdentityStores } from './store/identity-stores';
import type { TenantRow } from './store/tenant-store';
import type { IdentityDeps, IdentityLoaders } from './use-cases/deps';

/** Per-request loaders: every entity reference and lookup goes through one batched query. */
export function createIdentityLoaders(stores: Pick<IdentityStores, 'customers' | 'tenants'>): IdentityLoaders {
  return {
    customer: createByIdLoader<string, CustomerRow>((ids) => stores.customers.findByIds(ids)),
    tenant: createByIdLoader<string, TenantRow>((ids) => stores.tenants.findByIds(ids)),
  };
}

/** What the composition root builds once: every use-case dependency but the request's own. */
export type IdentityApp = Omit<IdentityDeps, 'loaders' | 'logger' | 'clientAddress' | 'audit'>;

/** What the identity resolvers receive: the request (identity, logger, audit) and the use cases' deps with this request's loaders. */
export type IdentityContext = SubgraphContext & { deps: IdentityDeps };

/** The request's context: its loaders, logger, audit trail and client address joined to the app's deps. */
export function createIdentityContext(base: SubgraphContext, app: IdentityApp): IdentityContext {
  const deps: IdentityDeps = { ...app, loaders: createIdentityLoaders(app.stores), logger: base.logger, audit: base.audit, clientAddress: base.clientAddress ?? null };
  return { ...base, deps };
}
