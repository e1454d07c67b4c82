import type { Identity } from '@baas/auth';
import { isApiClient, isOperator, isPlatformOperator, isTenantClientWith, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import { forbidden } from '@baas/errors';

/** The scopes of a tenant's API client: `webhooks:write` manages endpoints (and reads them), `webhooks:read` only reads. */
export const WEBHOOKS_READ = 'webhooks:read';
export const WEBHOOKS_WRITE = 'webhooks:write';

const clientOrOperator = or(isApiClient, isOperator);

/**
 * Who may resolve what in the webhooks subgraph (default deny). Endpoints are a tenant's backend
 * configuration: its API clients (scopes checked by the record policies below) and platform
 * operators (read only); customers never. An endpoint's fields are owned by its tenant.
 */
export const webhooksPermissions: RuleTree = {
  Query: {
    webhookEndpoints: clientOrOperator,
    webhookEndpoint: clientOrOperator,
    webhookEventTypes: clientOrOperator,
    webhookDeliveries: clientOrOperator,
    webhookDelivery: clientOrOperator,
  },
  Mutation: {
    createWebhookEndpoint: isApiClient,
    updateWebhookEndpoint: isApiClient,
    deleteWebhookEndpoint: isApiClient,
    rotateWebhookSecret: isApiClient,
    replayWebhookDelivery: isApiClient,
    replayWebhookEvents: isApiClient,
    pingWebhookEndpoint: isApiClient,
  },
  WebhookEndpoint: ownsParent((e: { tenantId: string }) => ({ tenantId: e.tenantId }), 'webhooks:ownsEndpoint'),
  WebhookDelivery: ownsParent((d: { tenantId: string }) => ({ tenantId: d.tenantId }), 'webhooks:ownsDelivery'),
  WebhookAttempt: publicField,
  WebhookDeliveryPage: publicField,
  ReplayWebhookEventsPayload: publicField,
  WebhookSecretHint: publicField,
  WebhookEndpointPage: publicField,
  CreateWebhookEndpointPayload: publicField,
  RotateWebhookSecretPayload: publicField,
  DeleteWebhookEndpointPayload: publicField,
  WebhookEventType: publicField,
};

// ---------------------------------------------------------------------------------------------
// Record-level policies (use cases call these by name; nothing else tests who.kind or who.scopes)

/** Who may read a tenant's endpoints: platform operators, or the tenant's API client with webhooks:read or webhooks:write. */
export function mayReadWebhooks(who: Identity, tenantId: string): boolean {
  return isPlatformOperator(who) || isTenantClientWith(who, tenantId, WEBHOOKS_READ) || isTenantClientWith(who, tenantId, WEBHOOKS_WRITE);
}

/** Who may create, change, rotate and delete a tenant's endpoints: its API client with webhooks:write (not operators). */
export function mayWriteWebhooks(who: Identity, tenantId: string): boolean {
  return isTenantClientWith(who, tenantId, WEBHOOKS_WRITE);
}

/** The tenant a write acts in: the caller's own, when it may write there (FORBIDDEN otherwise). */
export function writingTenant(who: Identity): string {
  if (!who.tenantId || !mayWriteWebhooks(who, who.tenantId)) throw forbidden();
  return who.tenantId;
}

/**
 * The tenant a list reads: an operator names one (or none: every tenant); a client reads its own and
 * may not name another. FORBIDDEN without the read scope.
 */
export function readingTenant(who: Identity, named: string | null | undefined): string | null {
  if (isPlatformOperator(who)) return named ? named.toLowerCase() : null;
  if (!who.tenantId || (named && named.toLowerCase() !== who.tenantId) || !mayReadWebhooks(who, who.tenantId)) throw forbidden();
  return who.tenantId;
}

type TenantRow = { tenantId: string; deletedAt: Date | null };

/**
 * An endpoint the caller may read, by id: an operator gets null for a missing or deleted one; a
 * client gets FORBIDDEN for one it may not see, missing or deleted, so ids tell nothing across tenants.
 */
export function visibleEndpoint<T extends TenantRow>(who: Identity, row: T | null): T | null {
  const live = row && row.deletedAt === null ? row : null;
  if (isPlatformOperator(who)) return live;
  if (!live || !mayReadWebhooks(who, live.tenantId)) throw forbidden();
  return live;
}

/** An endpoint the caller may change: its tenant's client with webhooks:write; FORBIDDEN otherwise, missing or not. */
export function writableEndpoint<T extends TenantRow>(who: Identity, row: T | null, opts: { deleted?: 'allow' } = {}): T {
  if (!row || !mayWriteWebhooks(who, row.tenantId) || (row.deletedAt !== null && opts.deleted !== 'allow')) throw forbidden();
  return row;
}

/** Whether a stored row under a client's idempotency key belongs to the caller's tenant. */
export function endpointKeyInScope(row: { tenantId: string }, tenantId: string): boolean {
  return row.tenantId === tenantId;
}

/**
 * A delivery the caller may read: an operator any (null when missing); a tenant's client with a
 * webhooks scope its own tenant's, FORBIDDEN for any other id, missing or not.
 */
export function visibleDelivery<T extends { tenantId: string }>(who: Identity, row: T | null): T | null {
  if (isPlatformOperator(who)) return row;
  if (!row || !mayReadWebhooks(who, row.tenantId)) throw forbidden();
  return row;
}
