import { requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { parseOverlap, planRotation } from '../domain/endpoint-rules';
import { writableEndpoint } from '../permissions';
import type { WebhookEndpointRow } from '../store/webhook-endpoint-store';
import { newSealedSecret, type EndpointWriteDeps } from './create-webhook-endpoint';

/**
 * Rotates an endpoint's signing secret (its tenant's API client with webhooks:write; FORBIDDEN for
 * any other endpoint, missing or deleted): a new secret, returned in clear this once, becomes
 * current; the older ones still active keep signing until `overlapSeconds` from now (default 24 h,
 * at most 7 days, 0 retires them at once), so deliveries carry both signatures meanwhile.
 * Not idempotent: each call makes a new secret.
 */
export async function rotateWebhookSecret(
  deps: EndpointWriteDeps,
  identity: Identity | null,
  id: string,
  overlapSeconds?: number | null,
): Promise<{ row: WebhookEndpointRow; secret: string; previousSecretsExpireAt: Date | null }> {
  const who = requireIdentity(identity);
  const overlapMs = parseOverlap(overlapSeconds);
  const row = writableEndpoint(who, isUuid(id) ? await deps.endpoints.findById(id.toLowerCase()) : null);
  const now = (deps.now ?? (() => new Date()))();
  const made = newSealedSecret(deps, row.tenantId, row.id, now);
  let previous: Date | null = null;
  const rotated = await deps.endpoints.rotate(row.id, (stored) => {
    const keep = planRotation(stored, now, overlapMs);
    previous = [...keep.values()].reduce<Date | null>((latest, at) => (latest && latest > at ? latest : at), null);
    return { add: made.stored, keep, at: now };
  });
  // Deleted between the read and the lock.
  if (!rotated) throw forbidden();
  return { row: rotated, secret: made.secret, previousSecretsExpireAt: previous };
}
