import { connectEvents, type Consumer, type EventBus, type EventEnvelope } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { EventTypeRegistry } from '@baas/webhooks';
import { tenantEventsOf } from '../domain/event-routing';
import type { WebhookDeliveryStore } from '../store/webhook-delivery-store';

export type EventFanoutOptions = {
  natsUrl: string;
  /** The streams whose events tenants may receive (config WEBHOOKS_SOURCE_STREAMS: LEDGER, PAYMENTS_EVENTS, ...). */
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
  const log = opts.logger.child({ worker: 'webhook-fanout' });
  const durable = opts.durable.replace(/[^A-Za-z0-9_-]/g, '_');
  let bus: Promise<EventBus> | null = null;
  const connect = () =>
    (bus ??= connectEvents({ url: opts.natsUrl, name: 'webhooks-fanout', logger: opts.logger }).catch((err: unknown) => {
      bus = null;
      throw err;
    }));
  let stopped = false;
  const consumers: Consumer[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handler = async (event: EventEnvelope) => {
    const events = tenantEventsOf(event, opts.registry);
    if (events.length === 0) return;
    const created = await opts.store.recordEvents(events, opts.wants);
    if (created > 0) opts.onRecorded?.();
  };

  const subscribe = async (stream: string, attempt: number): Promise<void> => {
    try {
      const events = await connect();
      const consumer = await events.consume({ stream, durable, handler, orderKey: (e) => e.id, retryDelayMs: 1000, pullExpiresMs: opts.pullExpiresMs ?? 2000 });
      consumers.push(consumer);
      if (stopped) await consumer.stop();
      else if (attempt > 0) log.info({ stream, attempt }, 'webhook fan-out subscribed');
    } catch (err) {
      if (attempt === 0) log.warn({ err, stream }, 'webhook fan-out not subscribed yet (NATS down or no stream): retrying');
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void subscribe(stream, attempt + 1);
      }, Math.min(500 * 2 ** attempt, 10_000));
      timers.add(timer);
    }
  };
  await Promise.all(opts.streams.map((s) => subscribe(s, 0)));

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(consumers.map((c) => c.stop().catch(() => undefined)));
      await (await bus?.catch(() => null))?.close().catch(() => undefined);
    },
  };
}
