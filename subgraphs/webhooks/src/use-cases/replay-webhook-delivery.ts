import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { derivedUuid, isUuid } from '@baas/server';
import { writableEndpoint, writingTenant } from '../permissions';
import type { WebhookDeliveryStore } from '../store/webhook-delivery-store';
import type { WebhookEndpointRow } from '../store/webhook-endpoint-store';

export type ReplayDeps = {
  endpoints: { findById(id: string): Promise<WebhookEndpointRow | null> };
  deliveries: Pick<WebhookDeliveryStore, 'findById' | 'requeue' | 'eventsSince' | 'replayEvents' | 'recordDirect' | 'claimRequest' | 'setRequestResult'>;
  /** Wakes this instance's delivery worker (the others find the work on their next poll). */
  wake?: () => void;
  now?: () => Date;
};

/** How long a first call's unfinished record means "still in flight" (IDEMPOTENCY_KEY_IN_FLIGHT). */
const IN_FLIGHT_MS = 30_000;

/**
 * Runs `work` once per (tenant, key): the same key and request again answers the first answer,
 * another request under it IDEMPOTENCY_KEY_REUSED, one while the first is still running
 * IDEMPOTENCY_KEY_IN_FLIGHT. A first call that died before storing its answer runs again after
 * 30 s (its effects, queueing deliveries, are safe to repeat).
 */
export async function once<T extends Record<string, unknown>>(deps: ReplayDeps, tenantId: string, key: unknown, kind: string, request: unknown, work: () => Promise<T>): Promise<T> {
  const now = (deps.now ?? (() => new Date()))();
  if (typeof key !== 'string' || !isUuid(key)) throw badInput('idempotencyKey must be a UUID.', { field: 'idempotencyKey' });
  // One key, one request, whatever the operation: reusing it for another (or another input) is refused.
  const id = derivedUuid(`webhooks:request:${tenantId}:${key.toLowerCase()}`);
  const hash = requestFingerprint(`webhook-${kind}/v1`, request);
  const stored = await deps.deliveries.claimRequest(id, tenantId, hash, { pending: true });
  if (stored) {
    if (stored.requestHash !== hash || stored.tenantId !== tenantId) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    const result = stored.result as Record<string, unknown>;
    if (!result.pending) return result as T;
    // The first call is still running (or died within the last half minute): answer a conflict, retry later.
    if (now.getTime() - stored.createdAt.getTime() < IN_FLIGHT_MS) throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT');
  }
  const result = await work();
  await deps.deliveries.setRequestResult(id, result as never);
  return result;
}

/**
 * Sends a delivery again now (same event id and body, a new round of the retry schedule): the
 * tenant's client with webhooks:write; FORBIDDEN for any other id, missing or not, or when its
 * endpoint was deleted. A delivery under way is left to finish.
 */
export async function replayWebhookDelivery(deps: ReplayDeps, identity: Identity | null, id: string, idempotencyKey: string) {
  const who = requireIdentity(identity);
  const tenantId = writingTenant(who);
  const delivery = isUuid(id) ? await deps.deliveries.findById(id.toLowerCase()) : null;
  if (!delivery || delivery.tenantId !== tenantId) throw forbidden();
  writableEndpoint(who, await deps.endpoints.findById(delivery.endpointId));
  await once(deps, tenantId, idempotencyKey, 'replay-delivery', { id: delivery.id }, async () => {
    await deps.deliveries.requeue([delivery.id], (deps.now ?? (() => new Date()))());
    deps.wake?.();
    return { deliveryId: delivery.id };
  });
  return (await deps.deliveries.findById(delivery.id))!;
}
