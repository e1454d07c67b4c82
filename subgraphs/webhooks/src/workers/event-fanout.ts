import { startConsumers, type EventEnvelope } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { EventTypeRegistry } from '@baas/webhooks';
import { tenantEventsOf, type TenantEvent } from '../domain/event-routing';
import type { WebhookDeliveryStore } from '../store/webhook-delivery-store';

export type EventFanoutOptions = {
  natsUrl: string;
  /** The streams whose events tenants may receive (config WEBHOOKS_SOURCE_STREAMS: LEDGER, ACCOUNTS_EVENTS, PAYMENTS_EVENTS, ...). */
  streams: readonly string[];
  /** Durable consumer name per stream (config WEBHOOKS_CONSUMER; shared by every webhooks instance). */
  durable: string;
  store: Pick<WebhookDeliveryStore, 'recordEvents'>;
  registry: EventTypeRegistry;
  wants: (patterns: readonly string[], type: string) => boolean;
  /** Called after deliveries were recorded (wakes this process's delivery worker). */
  onRecorded?: () => void;
  logger: Logger;
  pullExpiresMs?: number;
};

export type EventFanout = { stop(): Promise<void> };

/**
 * Turns domain events into deliveries: one durable JetStream consumer per source stream, from the
 * start of the stream, acking an event only once its tenant events and deliveries are committed
 * (so NATS or this process going away loses nothing: the unacked event comes again, and the unique
 * keys make the second recording a no-op). Events of one batch are recorded side by side (no order
 * is promised to receivers; docs/webhooks.md). PostgreSQL down: the event is nak'ed and comes back
 * with a growing delay. NATS down or a stream not there yet: subscribing is retried in the
 * background; nothing throws.
 */
export async function startEventFanout(opts: EventFanoutOptions): Promise<EventFanout> {
  const durable = opts.durable.replace(/[^A-Za-z0-9_-]/g, '_');
  const record = coalesce<TenantEvent>(async (events) => {
    const created = await opts.store.recordEvents(events, opts.wants);
    if (created > 0) opts.onRecorded?.();
  });
  const handler = async (event: EventEnvelope) => {
    const events = tenantEventsOf(event, opts.registry);
    if (events.length === 0) return;
    await record(events);
  };
  return startConsumers({
    natsUrl: opts.natsUrl,
    name: 'webhooks-fanout',
    logger: opts.logger,
    routes: opts.streams.map((stream) => ({ stream, durable, handler, orderKey: (e: EventEnvelope) => e.id, retryDelayMs: 1000, pullExpiresMs: opts.pullExpiresMs ?? 2000 })),
  });
}

/**
 * Groups the calls made in one turn of the event loop (a consumer's batch is handled side by side)
 * into one `flush` of all their items: one endpoint read and one transaction for a batch of events
 * instead of one per event. Every caller of a group waits for its flush and sees its failure (each
 * event is then nak'ed and comes again: the unique keys make the repeat a no-op).
 */
export function coalesce<T>(flush: (items: T[]) => Promise<void>): (items: readonly T[]) => Promise<void> {
  let open: { items: T[]; done: Promise<void> } | null = null;
  return (items) => {
    if (!open) {
      const group: { items: T[]; done: Promise<void> } = { items: [], done: Promise.resolve() };
      group.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        open = null;
        return flush(group.items);
      });
      open = group;
    }
    open.items.push(...items);
    return open.done;
  };
}
