import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { readingTenant } from '../permissions';
import type { WebhookEndpointStore } from '../store/webhook-endpoint-store';

export const MAX_ENDPOINTS_PAGE = 100;

/**
 * A page of endpoints, newest first (deleted ones left out): a tenant's API client reads its own
 * tenant's (webhooks:read or webhooks:write; naming another tenant is FORBIDDEN), an operator the
 * tenant it names or every tenant's. `first` is 1..100 (default 50).
 */
export async function listWebhookEndpoints(
  deps: { endpoints: Pick<WebhookEndpointStore, 'page'> },
  identity: Identity | null,
  args: { tenantId?: string | null; first?: number | null; after?: string | null },
) {
  const who = requireIdentity(identity);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_ENDPOINTS_PAGE) throw badInput(`first must be 1 to ${MAX_ENDPOINTS_PAGE}.`, { field: 'first', limit: MAX_ENDPOINTS_PAGE });
  const tenantId = readingTenant(who, args.tenantId);
  return deps.endpoints.page(tenantId, first, args.after ?? null);
}
