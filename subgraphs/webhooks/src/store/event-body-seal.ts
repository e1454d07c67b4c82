/**
 * Event bodies at rest: a tenant's webhook body holds what its event holds (a PIX key, a merchant,
 * a customer's ids), so it is stored sealed with the PII vault (AES-256-GCM, bound to the tenant and
 * the event id, so a sealed body cannot be moved to another row) and opened only to be delivered,
 * replayed or shown to the tenant. A body stored before sealing (plain JSON) still reads.
 */
export type BodySealer = { encrypt(plaintext: string, context: string): string; decrypt(sealed: string, context: string): string };

const bodyContext = (tenantId: string, eventId: string) => `webhooks.event.body:${tenantId}:${eventId}`;

export const sealBody = (sealer: BodySealer, tenantId: string, eventId: string, body: string): string => sealer.encrypt(body, bodyContext(tenantId, eventId));

/** The body as delivered, or null when it cannot be opened (PII_KEYS lost or changed). */
export function openBody(sealer: BodySealer, tenantId: string, eventId: string, stored: string): string | null {
  if (stored.startsWith('{')) return stored;
  try {
    return sealer.decrypt(stored, bodyContext(tenantId, eventId));
  } catch {
    return null;
  }
}
