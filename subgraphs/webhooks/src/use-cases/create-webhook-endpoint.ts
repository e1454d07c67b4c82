import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import { checkEndpointUrl, generateSigningSecret, urlInputError, type EventTypeRegistry, type UrlPolicy } from '@baas/webhooks';
import { parseDescription, parseEventTypes, secretContext, secretHint } from '../domain/endpoint-rules';
import { endpointKeyInScope, writingTenant } from '../permissions';
import type { NewWebhookSecret, WebhookEndpointRow, WebhookEndpointStore } from '../store/webhook-endpoint-store';

/** What the endpoint use cases need: the store, a sealer for secrets, the deployment's URL policy. */
export type EndpointWriteDeps = {
  endpoints: Pick<WebhookEndpointStore, 'findById' | 'insert' | 'update' | 'markDeleted' | 'rotate' | 'page'>;
  /** Seals a secret bound to a context (@baas/pii's vault): only the sealed value is stored. */
  sealer: { encrypt(plaintext: string, context: string): string };
  /** checkEndpointUrl's policy: allowHttp and allowLoopback only where WEBHOOKS_ALLOW_INSECURE_URLS. */
  urlPolicy: UrlPolicy;
  registry?: EventTypeRegistry;
  now?: () => Date;
  newSecret?: () => string;
};

export type CreateWebhookEndpointInput = { id: string; url: string; eventTypes: readonly string[]; description?: string | null; enabled?: boolean | null };

/** A URL checked with the deployment's policy (DNS included): its normalised form, or BAD_USER_INPUT with details.field url and reason. */
export async function checkedUrl(deps: Pick<EndpointWriteDeps, 'urlPolicy'>, raw: unknown): Promise<string> {
  const checked = await checkEndpointUrl(typeof raw === 'string' ? raw.trim() : '', deps.urlPolicy);
  if (!checked.ok) throw urlInputError(checked);
  return checked.url.href;
}

/** A new secret, sealed for the endpoint: the clear one goes back to the caller once, never to the store. */
export function newSealedSecret(deps: Pick<EndpointWriteDeps, 'sealer' | 'newSecret'>, tenantId: string, endpointId: string, at: Date): { secret: string; stored: NewWebhookSecret } {
  const secret = (deps.newSecret ?? generateSigningSecret)();
  return { secret, stored: { sealed: deps.sealer.encrypt(secret, secretContext(tenantId, endpointId)), hint: secretHint(secret), createdAt: at } };
}

/**
 * Creates an endpoint for the caller's tenant (an API client with webhooks:write, FORBIDDEN
 * otherwise) and its first signing secret, returned in clear this once. Refusals write nothing:
 * BAD_USER_INPUT with details.field `id`, `url` (reason MALFORMED_URL, INSECURE_SCHEME,
 * PRIVATE_ADDRESS, ...), `eventTypes` (UNKNOWN_EVENT_TYPE, ...) or `description`.
 * `input.id` is the idempotency key: the same request again answers the same endpoint with
 * `secret: null` (the secret is never stored in clear, so it cannot be shown twice), another
 * request under it IDEMPOTENCY_KEY_REUSED, an id another tenant used FORBIDDEN, and a deleted
 * endpoint's id CONFLICT (reason ENDPOINT_DELETED).
 */
export async function createWebhookEndpoint(deps: EndpointWriteDeps, identity: Identity | null, input: CreateWebhookEndpointInput): Promise<{ row: WebhookEndpointRow; secret: string | null }> {
  const who = requireIdentity(identity);
  const tenantId = writingTenant(who);
  if (typeof input.id !== 'string' || !isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const id = input.id.toLowerCase();
  const eventTypes = parseEventTypes(input.eventTypes, deps.registry);
  const description = parseDescription(input.description);
  const enabled = input.enabled ?? true;
  const url = await checkedUrl(deps, input.url);
  const now = (deps.now ?? (() => new Date()))();

  const hash = requestFingerprint('webhook-endpoint/v1', { tenantId, url, eventTypes, description, enabled });
  let secret: string | null = null;
  const { status, row } = await createOrReplay<WebhookEndpointRow>({
    hash,
    storedHash: (r) => r.requestHash,
    scope: (r) => endpointKeyInScope(r, tenantId),
    outOfScope: () => forbidden(),
    find: () => deps.endpoints.findById(id),
    insert: () => {
      const made = newSealedSecret(deps, tenantId, id, now);
      secret = made.secret;
      return deps.endpoints.insert({ id, tenantId, url, eventTypes, description, enabled, requestHash: hash, createdAt: now, secret: made.stored });
    },
  });
  if (status === 'REPLAYED') {
    if (row.deletedAt) throw new DomainError('CONFLICT', 'This endpoint was deleted: create another with a new id.', { reason: 'ENDPOINT_DELETED', field: 'id' });
    return { row, secret: null };
  }
  return { row, secret };
}
