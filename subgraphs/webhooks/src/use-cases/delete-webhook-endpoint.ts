import { requireIdentity, type Identity } from '@baas/auth';
import { isUuid } from '@baas/server';
import { writableEndpoint } from '../permissions';
import type { EndpointWriteDeps } from './create-webhook-endpoint';

/**
 * Deletes an endpoint of the caller's tenant (its API client with webhooks:write; FORBIDDEN for any
 * other, missing or not): nothing is delivered to it again and its secrets are dropped. The row
 * stays (part 2's delivery log points at it). Deleting it again answers the first deletion's time.
 */
export async function deleteWebhookEndpoint(deps: Pick<EndpointWriteDeps, 'endpoints' | 'now'>, identity: Identity | null, id: string): Promise<{ id: string; deletedAt: Date }> {
  const who = requireIdentity(identity);
  const row = writableEndpoint(who, isUuid(id) ? await deps.endpoints.findById(id.toLowerCase()) : null, { deleted: 'allow' });
  if (row.deletedAt) return { id: row.id, deletedAt: row.deletedAt };
  const deleted = await deps.endpoints.markDeleted(row.id, (deps.now ?? (() => new Date()))());
  return { id: deleted.id, deletedAt: deleted.deletedAt! };
}
