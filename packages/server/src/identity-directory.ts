import { DomainError } from '@baas/errors';
import type { Identity } from '@baas/auth';
import { createInternalClient, type InternalClientOptions } from './internal-client';
import { isUuid } from './loaders';

/** What identity tells another service about a customer (identity's `customerStanding`). */
export type CustomerStanding = {
  customerId: string;
  tenantId: string;
  customerStatus: string;
  tenantStatus: string;
  /** The tenant moves play money only. */
  tenantSandbox: boolean;
};
/** What identity tells another service about a tenant (identity's `tenantStanding`). */
export type TenantStanding = { tenantId: string; status: string; sandbox: boolean };

export type IdentityDirectoryOptions = Pick<InternalClientOptions, 'url' | 'secret' | 'fetchImpl' | 'timeoutMs'> & {
  /** The calling service (the assertion's subject), e.g. 'accounts'. */
  caller: string;
  /** How long a found customer or tenant is remembered (default 5 s; 0: never). Absent ones are never remembered. */
  cacheMs?: number;
  /** Most entries remembered (default 10,000; the oldest go first). */
  maxEntries?: number;
};

export type IdentityDirectory = {
  /** A customer's standing in a tenant; null when no such customer exists there (or an id is malformed). */
  customerStanding(tenantId: string, customerId: string): Promise<CustomerStanding | null>;
  /** A tenant's status and mode; null when no such tenant exists (or the id is malformed). */
  tenantStanding(tenantId: string): Promise<TenantStanding | null>;
  /**
   * The rule for acting on a customer's behalf: the customer exists, is ACTIVE and belongs to
   * `tenantId`, and the tenant is ACTIVE. Anything else is NOT_FOUND (the same answer whichever
   * part failed, so nothing is revealed about other tenants' customers).
   */
  requireActiveCustomer(tenantId: string | null, customerId: string | null | undefined, what?: string): Promise<CustomerStanding>;
  /** The tenant exists and is ACTIVE, else NOT_FOUND. */
  requireActiveTenant(tenantId: string | null | undefined): Promise<TenantStanding>;
  /** The tenant exists (any status), else NOT_FOUND: for operators' settings of a tenant. */
  requireKnownTenant(tenantId: string | null | undefined): Promise<TenantStanding>;
  /** Forgets what is remembered (tests; after an operator changed a tenant). */
  clear(): void;
};

const CUSTOMER = `query CustomerStanding($t: ID!, $c: ID!) { customerStanding(tenantId: $t, customerId: $c) { customerId tenantId customerStatus tenantStatus tenantSandbox } }`;
const TENANT = `query TenantStanding($t: ID!) { tenantStanding(tenantId: $t) { tenantId status sandbox } }`;

/** Identity did not answer: a retryable, coded error (SUBGRAPH_UNAVAILABLE, HTTP 503), never a guess. */
export const identityUnavailable = () => new DomainError('SUBGRAPH_UNAVAILABLE', 'Identity is unavailable: try again shortly.', { service: 'identity' });

/**
 * How a service knows the customers and tenants it acts for (accounts today; cards, payments, KYC
 * next): it asks identity, never trusts an id a client sent. Calls identity's internal queries
 * (`customerStanding`, `tenantStanding`; internal services only) directly, as the service
 * principal `caller`, with the shared internal client. Found answers are remembered for `cacheMs`
 * (a suspension takes effect within that time); absent ones are not remembered, so a customer
 * created a moment ago is found at once. Identity unreachable: SUBGRAPH_UNAVAILABLE.
 */
export function createIdentityDirectory(opts: IdentityDirectoryOptions): IdentityDirectory {
  const caller: Identity = { subject: opts.caller, kind: 'service', tenantId: null, scopes: ['identity:read'] };
  const client = createInternalClient({
    service: 'identity',
    url: opts.url,
    secret: opts.secret,
    caller,
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    timeoutMs: opts.timeoutMs ?? 5_000,
    toError: () => identityUnavailable(),
  });
  const ttl = opts.cacheMs ?? 5_000;
  const max = opts.maxEntries ?? 10_000;
  const cache = new Map<string, { value: unknown; until: number }>();

  async function cached<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value as T;
    if (hit) cache.delete(key);
    const value = await load();
    if (value !== null && ttl > 0) {
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(key, { value, until: Date.now() + ttl });
    }
    return value;
  }

  const directory: IdentityDirectory = {
    customerStanding(tenantId, customerId) {
      if (!isUuid(tenantId) || !isUuid(customerId)) return Promise.resolve(null);
      const t = tenantId.toLowerCase();
      const c = customerId.toLowerCase();
      return cached(`c:${t}:${c}`, async () => {
        const data = await client.call<{ customerStanding: CustomerStanding | null }>(CUSTOMER, { t, c });
        const s = data.customerStanding;
        // Identity answers for the tenant asked; anything else is treated as absent.
        return s && s.tenantId.toLowerCase() === t && s.customerId.toLowerCase() === c ? { ...s, tenantId: t, customerId: c } : null;
      });
    },
    tenantStanding(tenantId) {
      if (!isUuid(tenantId)) return Promise.resolve(null);
      const t = tenantId.toLowerCase();
      return cached(`t:${t}`, async () => {
        const data = await client.call<{ tenantStanding: TenantStanding | null }>(TENANT, { t });
        const s = data.tenantStanding;
        return s && s.tenantId.toLowerCase() === t ? { ...s, tenantId: t } : null;
      });
    },
    async requireActiveCustomer(tenantId, customerId, what = 'Customer') {
      const standing = tenantId && customerId ? await directory.customerStanding(tenantId, customerId) : null;
      if (!standing || standing.customerStatus !== 'ACTIVE' || standing.tenantStatus !== 'ACTIVE') throw new DomainError('NOT_FOUND', `${what} not found.`);
      return standing;
    },
    async requireActiveTenant(tenantId) {
      const standing = tenantId ? await directory.tenantStanding(tenantId) : null;
      if (!standing || standing.status !== 'ACTIVE') throw new DomainError('NOT_FOUND', 'Tenant not found.');
      return standing;
    },
    async requireKnownTenant(tenantId) {
      const standing = tenantId ? await directory.tenantStanding(tenantId) : null;
      if (!standing) throw new DomainError('NOT_FOUND', 'Tenant not found.');
      return standing;
    },
    clear() {
      cache.clear();
    },
  };
  return directory;
}

