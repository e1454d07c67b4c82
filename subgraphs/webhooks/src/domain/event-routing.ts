import type { EventTypeRegistry } from '@baas/webhooks';

/** A domain event as it arrives from a stream (@baas/events' envelope). */
export type SourceEvent = { id: string; type: string; occurredAt: string; data: unknown };

/** What one tenant receives for a source event: the body delivered and signed, byte for byte. */
export type TenantEvent = { tenantId: string; id: string; type: string; occurredAt: Date; body: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Standard Webhooks payload: {"id","type","timestamp","data"} (`id` is also the `webhook-id` header). */
export function webhookBody(id: string, type: string, occurredAt: Date, data: unknown): string {
  return JSON.stringify({ id, type, timestamp: occurredAt.toISOString(), data });
}

/**
 * The tenants a ledger transfer event belongs to and what each sees: the transfer, and only its own
 * accounts' balances after it (a transfer between two tenants' accounts must not show either the
 * other's balance). Accounts without a tenant (the platform's own: settlement, fees) are nobody's.
 */
function ledgerViews(data: Record<string, unknown>): { tenantId: string; data: unknown }[] {
  const accounts = Array.isArray(data.accounts) ? data.accounts.filter(isRecord) : [];
  const tenants = [...new Set(accounts.map((a) => a.tenantId).filter(isUuid).map((t) => t.toLowerCase()))];
  return tenants.map((tenantId) => ({
    tenantId,
    data: { seq: data.seq, transfer: data.transfer, accounts: accounts.filter((a) => typeof a.tenantId === 'string' && a.tenantId.toLowerCase() === tenantId) },
  }));
}

/** Every other source names its tenant in `data.tenantId` (payments, and the subgraphs to come). */
function tenantViews(data: Record<string, unknown>): { tenantId: string; data: unknown }[] {
  return isUuid(data.tenantId) ? [{ tenantId: data.tenantId.toLowerCase(), data }] : [];
}

/**
 * Pure: the per-tenant events a source event becomes. Nothing for a type tenants cannot subscribe
 * to (internal ones, unknown ones), for an event without a usable id or time, or without a tenant.
 */
export function tenantEventsOf(event: SourceEvent, registry: EventTypeRegistry): TenantEvent[] {
  if (!registry.subscribable.has(event.type) || !isUuid(event.id) || !isRecord(event.data)) return [];
  const occurredAt = new Date(event.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) return [];
  const id = event.id.toLowerCase();
  const views = event.type.startsWith('ledger.') ? ledgerViews(event.data) : tenantViews(event.data);
  return views.map((v) => ({ tenantId: v.tenantId, id, type: event.type, occurredAt, body: webhookBody(id, event.type, occurredAt, v.data) }));
}
