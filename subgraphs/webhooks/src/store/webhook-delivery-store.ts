import { uuidv7 } from '@baas/db';
import { Prisma, type PrismaClient, type WebhookAttempt, type WebhookDelivery } from '../generated/prisma/client';
import type { TenantEvent } from '../domain/event-routing';
import { openBody, sealBody, type BodySealer } from './event-body-seal';

export type WebhookDeliveryRow = WebhookDelivery;
export type WebhookAttemptRow = WebhookAttempt;

/** A claimed delivery with what its attempt needs: the endpoint's URL and sealed secrets, the event's body (null: unreadable). */
export type ClaimedDelivery = {
  delivery: WebhookDeliveryRow;
  endpoint: { id: string; tenantId: string; url: string; enabled: boolean; deletedAt: Date | null; failingSince: Date | null; secrets: { sealed: string; createdAt: Date; expiresAt: Date | null }[] };
  body: string | null;
};

/** What an attempt came to (the worker decides it with @baas/webhooks' retry rules). */
export type AttemptOutcome = {
  at: Date;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** SUCCEEDED, or PENDING with nextAttemptAt, or FAILED (attempts used up), or CANCELLED (endpoint gone). */
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED' | 'CANCELLED';
  nextAttemptAt: Date | null;
};

const CLAIM_LOCK = 7_410_001; // pg_advisory_xact_lock key: claims take turns, so the per-endpoint cap holds across workers

/** Every statement about events, deliveries and attempts in the webhooks database; event bodies are stored sealed (`sealer`). */
export function createWebhookDeliveryStore(db: PrismaClient, sealer: BodySealer) {
  const stored = (e: TenantEvent) => ({ tenantId: e.tenantId, id: e.id, type: e.type, body: sealBody(sealer, e.tenantId, e.id, e.body), occurredAt: e.occurredAt });
  const bodies = async (keys: readonly { tenantId: string; eventId: string }[]) => {
    const rows = await db.webhookEvent.findMany({ where: { OR: keys.map((k) => ({ tenantId: k.tenantId, id: k.eventId })) }, select: { tenantId: true, id: true, body: true } });
    return rows.map((r) => ({ tenantId: r.tenantId, id: r.id, body: openBody(sealer, r.tenantId, r.id, r.body) }));
  };
  return {
    /**
     * Records the tenant events of one source event and a PENDING delivery for each live endpoint of
     * the tenant that wants its type (`wants`) and existed when it occurred, in one transaction;
     * repeats add nothing (unique event per tenant, delivery per endpoint and event). Events of
     * tenants without any endpoint are not kept (most tenants, most ledger events). Returns the
     * deliveries it created.
     */
    async recordEvents(events: readonly TenantEvent[], wants: (patterns: readonly string[], type: string) => boolean): Promise<number> {
      if (events.length === 0) return 0;
      const tenants = [...new Set(events.map((e) => e.tenantId))];
      const endpoints = await db.webhookEndpoint.findMany({ where: { tenantId: { in: tenants }, deletedAt: null }, select: { id: true, tenantId: true, eventTypes: true, enabled: true, createdAt: true } });
      const kept = events.filter((e) => endpoints.some((ep) => ep.tenantId === e.tenantId));
      if (kept.length === 0) return 0;
      const data = kept.flatMap((e) =>
        endpoints
          .filter((ep) => ep.enabled && ep.tenantId === e.tenantId && ep.createdAt.getTime() <= e.occurredAt.getTime() && wants(ep.eventTypes, e.type))
          .map((ep) => ({ endpointId: ep.id, tenantId: e.tenantId, eventId: e.id, eventType: e.type })),
      );
      // One statement: the events, then the deliveries (a CTE), atomically; repeats skipped by their keys.
      const rows = kept.map(stored);
      const insertEvents = Prisma.sql`
        INSERT INTO webhooks.webhook_event (tenant_id, id, type, body, occurred_at)
        SELECT * FROM unnest(${rows.map((r) => r.tenantId)}::uuid[], ${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.type)}::text[],
                             ${rows.map((r) => r.body)}::text[], ${rows.map((r) => r.occurredAt)}::timestamptz[])
        ON CONFLICT DO NOTHING`;
      if (data.length === 0) {
        await db.$executeRaw(insertEvents);
        return 0;
      }
      const created = await db.$queryRaw<{ id: string }[]>`
        WITH events AS (${insertEvents})
        INSERT INTO webhooks.webhook_delivery (id, endpoint_id, tenant_id, event_id, event_type)
        SELECT * FROM unnest(${data.map(() => uuidv7())}::uuid[], ${data.map((d) => d.endpointId)}::uuid[], ${data.map((d) => d.tenantId)}::uuid[],
                             ${data.map((d) => d.eventId)}::uuid[], ${data.map((d) => d.eventType)}::text[])
        ON CONFLICT DO NOTHING
        RETURNING id`;
      return created.length;
    },

    /** One event for one endpoint, whatever its patterns say (a ping); the delivery, new or already there. */
    async recordDirect(event: TenantEvent, endpointId: string): Promise<WebhookDeliveryRow> {
      return db.$transaction(async (tx) => {
        await tx.webhookEvent.createMany({ data: [stored(event)], skipDuplicates: true });
        await tx.webhookDelivery.createMany({ data: [{ endpointId, tenantId: event.tenantId, eventId: event.id, eventType: event.type }], skipDuplicates: true });
        return tx.webhookDelivery.findUniqueOrThrow({ where: { endpointId_eventId: { endpointId, eventId: event.id } } });
      });
    },

    /**
     * Claims up to `limit` due deliveries (PENDING and due, or DELIVERING with a lapsed lease: a
     * worker died mid-attempt), at most `perEndpoint` in flight per endpoint counting the ones other
     * workers hold: they become DELIVERING until now + leaseMs. Claims take turns (an advisory
     * lock), each a few milliseconds.
     */
    async claim(limit: number, perEndpoint: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      const claimed = await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`;
        const busy = await tx.$queryRaw<{ endpoint_id: string; n: number }[]>`
          SELECT endpoint_id, count(*)::int AS n FROM webhooks.webhook_delivery
          WHERE status = 'DELIVERING' AND lease_until > now() GROUP BY endpoint_id`;
        const inFlight = new Map(busy.map((b) => [b.endpoint_id, b.n]));
        const due = await tx.$queryRaw<{ id: string; endpoint_id: string }[]>`
          SELECT id, endpoint_id FROM webhooks.webhook_delivery
          WHERE (status = 'PENDING' AND next_attempt_at <= now()) OR (status = 'DELIVERING' AND lease_until <= now())
          ORDER BY next_attempt_at, id LIMIT ${limit * 4}`;
        const ids: string[] = [];
        for (const d of due) {
          const n = inFlight.get(d.endpoint_id) ?? 0;
          if (n >= perEndpoint) continue;
          inFlight.set(d.endpoint_id, n + 1);
          ids.push(d.id);
          if (ids.length >= limit) break;
        }
        if (ids.length === 0) return [];
        return tx.$queryRaw<WebhookDeliveryRaw[]>`
          UPDATE webhooks.webhook_delivery SET status = 'DELIVERING', lease_until = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
          WHERE id = ANY(${ids}::uuid[]) RETURNING *`;
      });
      if (claimed.length === 0) return [];
      const deliveries = claimed.map(fromRaw);
      const endpointIds = [...new Set(deliveries.map((d) => d.endpointId))];
      const [endpoints, events] = await Promise.all([
        db.webhookEndpoint.findMany({ where: { id: { in: endpointIds } }, select: { id: true, tenantId: true, url: true, enabled: true, deletedAt: true, failingSince: true, secrets: { select: { sealed: true, createdAt: true, expiresAt: true }, orderBy: { createdAt: 'desc' } } } }),
        bodies(deliveries.map((d) => ({ tenantId: d.tenantId, eventId: d.eventId }))),
      ]);
      const endpointOf = new Map(endpoints.map((e) => [e.id, e]));
      const bodyOf = new Map(events.map((e) => [`${e.tenantId}/${e.id}`, e.body]));
      return deliveries.map((delivery) => ({ delivery, endpoint: endpointOf.get(delivery.endpointId)!, body: bodyOf.get(`${delivery.tenantId}/${delivery.eventId}`) ?? null }));
    },

    /** Writes an attempt and the delivery's new state; nothing when the claim was lost meanwhile (another worker took a lapsed lease). */
    async recordAttempt(delivery: WebhookDeliveryRow, outcome: AttemptOutcome, countsAsAttempt: boolean): Promise<boolean> {
      const n = countsAsAttempt ? 1 : 0;
      // The claim's lease is its fencing token: a worker whose lease lapsed and was taken over writes nothing.
      const update = Prisma.sql`
        UPDATE webhooks.webhook_delivery
        SET status = ${outcome.status}, attempts = attempts + ${n}::int, round_attempts = round_attempts + ${n}::int,
            next_attempt_at = ${outcome.nextAttemptAt}::timestamptz, lease_until = NULL, updated_at = ${outcome.at}::timestamptz,
            ${countsAsAttempt ? Prisma.sql`last_status_code = ${outcome.statusCode}::int, last_error = ${outcome.error}::text, last_latency_ms = ${outcome.latencyMs}::int` : Prisma.sql`last_error = ${outcome.error}::text`}
            ${outcome.status === 'SUCCEEDED' ? Prisma.sql`, delivered_at = ${outcome.at}::timestamptz` : Prisma.empty}
        WHERE id = ${delivery.id}::uuid AND status = 'DELIVERING' AND lease_until IS NOT DISTINCT FROM ${delivery.leaseUntil}::timestamptz
        RETURNING id`;
      if (!countsAsAttempt) return (await db.$queryRaw<{ id: string }[]>(update)).length > 0;
      // The attempt is written with the delivery's new state, in one statement, only when the fence held.
      const rows = await db.$queryRaw<{ id: string }[]>`
        WITH updated AS (${update}), attempt AS (
          INSERT INTO webhooks.webhook_attempt (id, delivery_id, number, at, status_code, error, latency_ms)
          SELECT ${uuidv7()}::uuid, id, ${delivery.attempts + 1}::int, ${outcome.at}::timestamptz, ${outcome.statusCode}::int, ${outcome.error}::text, ${outcome.latencyMs}::int FROM updated
        )
        SELECT id FROM updated`;
      return rows.length > 0;
    },

    /**
     * The endpoint's health after an attempt (under its row lock): a success clears it (one cheap
     * conditional update), a failure starts or continues it; `decide` (shouldDisableEndpoint) may
     * disable the endpoint. Returns the reason when this call disabled it.
     */
    async updateHealth(endpointId: string, attempt: { ok: boolean; exhausted: boolean; gone: boolean }, at: Date, decide: (h: { failingSince: Date | null; exhaustedSinceSuccess: number; lastAnswerGone: boolean }) => { disable: boolean; reason?: string }): Promise<string | null> {
      if (attempt.ok) {
        await db.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: { not: null } }, data: { failingSince: null, exhaustedSinceSuccess: 0 } });
        return null;
      }
      return db.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ enabled: boolean; failing_since: Date | null; exhausted_since_success: number }[]>`
          SELECT enabled, failing_since, exhausted_since_success FROM webhooks.webhook_endpoint WHERE id = ${endpointId}::uuid AND deleted_at IS NULL FOR UPDATE`;
        const row = rows[0];
        if (!row) return null;
        const health = { failingSince: row.failing_since ?? at, exhaustedSinceSuccess: row.exhausted_since_success + (attempt.exhausted ? 1 : 0), lastAnswerGone: attempt.gone };
        const verdict = decide(health);
        const disable = row.enabled && verdict.disable;
        await tx.webhookEndpoint.update({
          where: { id: endpointId },
          data: { failingSince: health.failingSince, exhaustedSinceSuccess: health.exhaustedSinceSuccess, ...(disable ? { enabled: false, disabledReason: verdict.reason ?? 'FAILING', disabledAt: at, updatedAt: at } : {}) },
        });
        return disable ? (verdict.reason ?? 'FAILING') : null;
      });
    },

    /**
     * Deletes what is older than `before`: finished deliveries (and their attempts), then events no
     * delivery still points at; at most `limit` deliveries a call (the pruner calls again until done).
     * Returns the deliveries deleted.
     */
    async prune(before: Date, limit: number): Promise<number> {
      return db.$transaction(async (tx) => {
        const gone = await tx.$queryRaw<{ id: string }[]>`
          DELETE FROM webhooks.webhook_delivery WHERE id IN (
            SELECT id FROM webhooks.webhook_delivery WHERE created_at < ${before} AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') LIMIT ${limit})
          RETURNING id`;
        if (gone.length) await tx.$executeRaw`DELETE FROM webhooks.webhook_attempt WHERE delivery_id = ANY(${gone.map((g) => g.id)}::uuid[])`;
        await tx.$executeRaw`
          DELETE FROM webhooks.webhook_event e WHERE e.ctid IN (
            SELECT e2.ctid FROM webhooks.webhook_event e2 WHERE e2.created_at < ${before}
            AND NOT EXISTS (SELECT 1 FROM webhooks.webhook_delivery d WHERE d.tenant_id = e2.tenant_id AND d.event_id = e2.id) LIMIT ${limit})`;
        return gone.length;
      });
    },

    findById: (id: string) => db.webhookDelivery.findUnique({ where: { id } }),
    findByIds: (ids: readonly string[]) => db.webhookDelivery.findMany({ where: { id: { in: [...ids] } } }),
    attemptsOf: (deliveryIds: readonly string[]) => db.webhookAttempt.findMany({ where: { deliveryId: { in: [...deliveryIds] } }, orderBy: [{ deliveryId: 'asc' }, { number: 'asc' }] }),
    /** Event bodies, opened (null: unreadable with this deployment's keys). */
    bodiesOf: bodies,

    /** An endpoint's deliveries, newest first, optionally of one status. */
    async page(endpointId: string, status: string | null, first: number, after: { createdAt: Date; id: string } | null) {
      const rows = await db.webhookDelivery.findMany({
        where: {
          endpointId,
          ...(status ? { status } : {}),
          ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      });
      return { items: rows.slice(0, first), hasNextPage: rows.length > first };
    },

    /** Sets deliveries PENDING and due now, a new round of the retry schedule (attempt log kept). */
    requeue: (ids: readonly string[], at: Date) =>
      db.webhookDelivery.updateMany({ where: { id: { in: [...ids] }, status: { not: 'DELIVERING' } }, data: { status: 'PENDING', roundAttempts: 0, nextAttemptAt: at, updatedAt: at } }),

    /** A tenant's events since `since` (oldest first, at most `limit`): id and type. */
    eventsSince: (tenantId: string, since: Date, limit: number) =>
      db.webhookEvent.findMany({ where: { tenantId, occurredAt: { gte: since } }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }], take: limit, select: { id: true, type: true } }),

    /** Deliveries of these events to the endpoint: made PENDING (new round) when they exist, created otherwise. */
    async replayEvents(endpointId: string, tenantId: string, events: readonly { id: string; type: string }[], at: Date): Promise<number> {
      if (events.length === 0) return 0;
      return db.$transaction(async (tx) => {
        await tx.webhookDelivery.createMany({ data: events.map((e) => ({ endpointId, tenantId, eventId: e.id, eventType: e.type, nextAttemptAt: at })), skipDuplicates: true });
        await tx.webhookDelivery.updateMany({
          where: { endpointId, eventId: { in: events.map((e) => e.id) }, status: { not: 'DELIVERING' } },
          data: { status: 'PENDING', roundAttempts: 0, nextAttemptAt: at, updatedAt: at },
        });
        return events.length;
      });
    },

    /** A replay or ping under its key: the stored answer, or null after storing `result` (the first call). */
    async claimRequest(id: string, tenantId: string, requestHash: string, result: Prisma.InputJsonValue) {
      const created = await db.webhookRequest.createMany({ data: [{ id, tenantId, requestHash, result }], skipDuplicates: true });
      if (created.count === 1) return null;
      return db.webhookRequest.findUniqueOrThrow({ where: { id } });
    },
    setRequestResult: (id: string, result: Prisma.InputJsonValue) => db.webhookRequest.update({ where: { id }, data: { result } }),
  };
}

export type WebhookDeliveryStore = ReturnType<typeof createWebhookDeliveryStore>;

type WebhookDeliveryRaw = {
  id: string; endpoint_id: string; tenant_id: string; event_id: string; event_type: string; status: string; attempts: number; round_attempts: number;
  next_attempt_at: Date | null; lease_until: Date | null; last_status_code: number | null; last_error: string | null; last_latency_ms: number | null;
  created_at: Date; updated_at: Date; delivered_at: Date | null;
};

const fromRaw = (r: WebhookDeliveryRaw): WebhookDeliveryRow => ({
  id: r.id, endpointId: r.endpoint_id, tenantId: r.tenant_id, eventId: r.event_id, eventType: r.event_type, status: r.status, attempts: r.attempts, roundAttempts: r.round_attempts,
  nextAttemptAt: r.next_attempt_at, leaseUntil: r.lease_until, lastStatusCode: r.last_status_code, lastError: r.last_error, lastLatencyMs: r.last_latency_ms,
  createdAt: r.created_at, updatedAt: r.updated_at, deliveredAt: r.delivered_at,
});
