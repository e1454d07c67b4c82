import { DomainError } from '@baas/errors';
import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import { CustomerKycLevelDocument } from './generated/operations';

/** Kyc did not answer: a retryable, coded error (SUBGRAPH_UNAVAILABLE, HTTP 503), never a guess (fail closed). */
export const kycUnavailable = () => new DomainError('SUBGRAPH_UNAVAILABLE', 'KYC is unavailable: try again shortly.', { service: 'kyc' });

/**
 * The kyc subgraph as accounts uses it: `customerKycLevel` (customer-kyc-level.graphql, compiled by
 * codegen against kyc's own SDL; internal services only, @inaccessible to clients), called directly as
 * the internal service `accounts`. Never cached: a customer approved a moment ago opens at once. Any
 * failed call (unreachable, timeout, an error answered) is SUBGRAPH_UNAVAILABLE.
 */
export function createKycClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'kyc',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'accounts', kind: 'service', tenantId: null, scopes: ['kyc:read'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: () => kycUnavailable(),
  });
  return {
    /**
     * The customer's KYC level in this tenant: what kyc records (0 when the customer never applied),
     * and 0 when kyc knows the customer under another tenant (a level is never borrowed across tenants).
     */
    async customerLevel(tenantId: string, customerId: string): Promise<number> {
      const data = await client.operation(CustomerKycLevelDocument, { customerId });
      const kyc = data.customerKycLevel;
      if (kyc.tenantId && kyc.tenantId.toLowerCase() !== tenantId.toLowerCase()) return 0;
      return kyc.level;
    },
  };
}

export type KycClient = ReturnType<typeof createKycClient>;
