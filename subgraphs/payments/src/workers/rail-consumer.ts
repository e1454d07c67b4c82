import type { EventBus, Consumer } from '@baas/events';
import type { Logger } from '@baas/observability';
import { parseRailEvent, railEventType, railsEventsStream } from '@baas/rails';
import { receiveRailEvent, type RailEventDeps } from '../use-cases/receive-rail-event';

/**
 * Consumes the rails' events (settlements, rejections, returns, incoming payments) from JetStream
 * with a durable consumer, up to a fetched batch at once (in order per payment): each is applied to our orders (idempotently) and acked; a failure
 * (ledger or database away) is retried with back-off by redelivery. An event that does not match
 * the contract is logged and acked (redelivering it would not change it).
 */
export async function startRailConsumer(opts: { bus: EventBus; deps: RailEventDeps; namespace: string; stream: string; logger: Logger }): Promise<Consumer> {
  const def = railsEventsStream(opts.namespace, opts.stream);
  await opts.bus.ensureStream(def);
  return opts.bus.consume({
    stream: def.name,
    durable: `payments-${opts.namespace}`,
    filterSubject: `${opts.namespace}.events.>`,
    ackWaitMs: 30_000,
    retryDelayMs: 200,
    // One payment's events (incoming, settled, rejected, returned) in order; payments side by side.
    // A refund's incoming RETURN keys on the payment it returns, so it follows that payment's events.
    orderKey: (envelope) => {
      const data = (envelope.data ?? {}) as { endToEndId?: unknown; returnOf?: unknown };
      return String(data.returnOf ?? data.endToEndId ?? '');
    },
    async handler(envelope, meta) {
      const type = railEventType(meta.subject) ?? envelope.type;
      const parsed = parseRailEvent(type, envelope.data);
      if (!parsed.ok) {
        opts.logger.error({ subject: meta.subject, problems: parsed.problems }, 'a rail event does not match the contract; skipped');
        return;
      }
      await receiveRailEvent(opts.deps, parsed.value);
    },
  });
}
