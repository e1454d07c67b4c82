import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { endpointWants, type EventTypeRegistry } from '@baas/webhooks';
import { writableEndpoint, writingTenant } from '../permissions';
import { once, type ReplayDeps } from './replay-webhook-delivery';

/** The most events one replay request queues; `truncated` says there were more. */
export const MAX_REPLAY_EVENTS = 10_000;
/** How far back a replay may reach (events are kept at least this long). */
export const MAX_REPLAY_AGE_MS = 7 * 24 * 60 * 60_000;

/**
 * Queues every event of the tenant since `since` that the endpoint subscribes to (again, or for
 * the first time: an endpoint created after them), oldest first, at most MAX_REPLAY_EVENTS. The
 * tenant's client with webhooks:write; FORBIDDEN for an endpoint not its own or deleted.
 */
export async function replayWebhookEvents(
  deps: ReplayDeps & { registry?: EventTypeRegistry },
  identity: Identity | null,
  input: { endpointId: string; since: string; idempotencyKey: string },
): Promise<{ endpointId: string; replayed: number; truncated: boolean }> {
  const who = requireIdentity(identity);
  const tenantId = writingTenant(who);
  const endpoint = writableEndpoint(who, isUuid(input.endpointId) ? await deps.endpoints.findById(input.endpointId.toLowerCase()) : null);
  const now = (deps.now ?? (() => new Date()))();
  const since = new Date(input.since);
  if (typeof input.since !== 'string' || Number.isNaN(since.getTime())) throw badInput('since must be an ISO 8601 time.', { field: 'since' });
  if (since.getTime() < now.getTime() - MAX_REPLAY_AGE_MS || since.getTime() > now.getTime()) throw badInput('since must be within the last 7 days.', { field: 'since', reason: 'OUT_OF_RANGE' });
  return once(deps, tenantId, input.idempotencyKey, 'replay-events', { endpointId: endpoint.id, since: since.toISOString() }, async () => {
    const events = await deps.deliveries.eventsSince(tenantId, since, MAX_REPLAY_EVENTS + 1);
    const truncated = events.length > MAX_REPLAY_EVENTS;
    const wanted = events.slice(0, MAX_REPLAY_EVENTS).filter((e) => endpointWants(endpoint.eventTypes, e.type, deps.registry));
    const replayed = await deps.deliveries.replayEvents(endpoint.id, tenantId, wanted, now);
    deps.wake?.();
    return { endpointId: endpoint.id, replayed, truncated };
  });
}
