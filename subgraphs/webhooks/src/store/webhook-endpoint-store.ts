import { badInput } from '@baas/errors';
import { decodeTimeIdCursor, encodeTimeIdCursor, isUuid } from '@baas/server';
import type { PrismaClient, WebhookEndpoint, WebhookSecret } from '../generated/prisma/client';

/** A signing secret as stored (sealed; the hint is the only clear part). */
export type WebhookSecretRow = WebhookSecret;
/** An endpoint as stored, with its secrets newest first. */
export type WebhookEndpointRow = WebhookEndpoint & { secrets: WebhookSecretRow[] };

export type NewWebhookSecret = { sealed: string; hint: string; createdAt: Date };
export type NewWebhookEndpoint = {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  requestHash: string;
  createdAt: Date;
  secret: NewWebhookSecret;
};
export type WebhookEndpointPatch = { url?: string; eventTypes?: string[]; description?: string | null; enabled?: boolean };

/**
 * A rotation decided from the stored secrets (under the endpoint's row lock): the new secret, the
 * expiry each older secret keeps (by id) and, implicitly, the ones to drop (absent from `keep`).
 */
export type RotationPlan = { add: NewWebhookSecret; keep: ReadonlyMap<string, Date>; at: Date };

const withSecrets = { secrets: { orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }] } };

/** Every statement about webhook endpoints and their secrets in the webhooks database. */
export function createWebhookEndpointStore(db: PrismaClient) {
  const findById = (id: string): Promise<WebhookEndpointRow | null> => db.webhookEndpoint.findUnique({ where: { id }, include: withSecrets });
  return {
    findById,
    findByIds(ids: readonly string[]): Promise<WebhookEndpointRow[]> {
      return db.webhookEndpoint.findMany({ where: { id: { in: [...ids] } }, include: withSecrets });
    },
    /** The endpoint and its first secret, in one statement; a taken id is a unique violation (P2002). */
    insert(input: NewWebhookEndpoint): Promise<WebhookEndpointRow> {
      const { secret, ...endpoint } = input;
      return db.webhookEndpoint.create({ data: { ...endpoint, updatedAt: input.createdAt, secrets: { create: secret } }, include: withSecrets });
    },
    update(id: string, patch: WebhookEndpointPatch, at: Date): Promise<WebhookEndpointRow> {
      // Enabling clears why it was disabled and its failure record: the endpoint starts afresh.
      const fresh = patch.enabled === true ? { disabledReason: null, disabledAt: null, failingSince: null, exhaustedSinceSuccess: 0 } : {};
      return db.webhookEndpoint.update({ where: { id }, data: { ...patch, ...fresh, updatedAt: at }, include: withSecrets });
    },
    /** Marks it deleted (kept for the delivery log); its secrets are dropped: nothing signs for it again. */
    markDeleted(id: string, at: Date): Promise<WebhookEndpointRow> {
      return db.$transaction(async (tx) => {
        await tx.webhookSecret.deleteMany({ where: { endpointId: id } });
        return tx.webhookEndpoint.update({ where: { id }, data: { deletedAt: at, updatedAt: at, enabled: false }, include: withSecrets });
      });
    },
    /**
     * Rotates under the endpoint's row lock: `plan` sees the stored secrets (never decrypted here)
     * and says what to add, keep (with which expiry) and drop. Null when the endpoint is gone.
     */
    rotate(id: string, plan: (secrets: WebhookSecretRow[]) => RotationPlan): Promise<WebhookEndpointRow | null> {
      return db.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM webhooks.webhook_endpoint WHERE id = ${id}::uuid AND deleted_at IS NULL FOR UPDATE`;
        if (locked.length === 0) return null;
        const secrets = await tx.webhookSecret.findMany({ where: { endpointId: id } });
        const decided = plan(secrets);
        const drop = secrets.filter((s) => !decided.keep.has(s.id)).map((s) => s.id);
        if (drop.length) await tx.webhookSecret.deleteMany({ where: { id: { in: drop } } });
        for (const [secretId, expiresAt] of decided.keep) await tx.webhookSecret.update({ where: { id: secretId }, data: { expiresAt } });
        await tx.webhookSecret.create({ data: { endpointId: id, ...decided.add } });
        return tx.webhookEndpoint.update({ where: { id }, data: { updatedAt: decided.at }, include: withSecrets });
      });
    },
    /** A tenant's endpoints (every tenant's when null), deleted ones left out, newest first. */
    async page(tenantId: string | null, first: number, after: string | null) {
      const c = after ? decodeTimeIdCursor(after) : null;
      if (c && !isUuid(c.id)) throw badInput('after is not a valid cursor.', { field: 'after' });
      const rows = await db.webhookEndpoint.findMany({
        where: {
          deletedAt: null,
          ...(tenantId ? { tenantId } : {}),
          ...(c ? { OR: [{ createdAt: { lt: new Date(c.createdAt) } }, { createdAt: new Date(c.createdAt), id: { lt: c.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
        include: withSecrets,
      });
      const items = rows.slice(0, first);
      const last = items.at(-1);
      return { items, endCursor: last ? encodeTimeIdCursor(last) : null, hasNextPage: rows.length > first };
    },
  };
}

export type WebhookEndpointStore = ReturnType<typeof createWebhookEndpointStore>;
