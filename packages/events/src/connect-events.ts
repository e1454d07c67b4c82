import { connect } from 'nats';
import type { Logger } from '@baas/observability';
import { consumeEvents } from './consume-events';
import { ensureStream } from './ensure-stream';
import { createBatchPublisher } from './publish-batch';
import { publishEvent } from './publish-event';
import type { Consumer, EventBus } from './types';

export type ConnectEventsOptions = {
  /** e.g. nats://127.0.0.1:4222 */
  url: string;
  /** Connection name shown by the server's monitoring (use the service name). */
  name: string;
  logger?: Logger;
};

/** Connects to NATS and returns the platform's JetStream event bus. Fails if JetStream is not enabled. */
export async function connectEvents(opts: ConnectEventsOptions): Promise<EventBus> {
  // Unlimited reconnects: a service must survive a NATS restart rather than lose its bus for good.
  const nc = await connect({ servers: opts.url, name: opts.name, maxReconnectAttempts: -1 });
  const logger = opts.logger?.child({ component: 'events' });
  const jsm = await nc.jetstreamManager().catch(async (err: unknown) => {
    // Without JetStream the bus is useless; do not leave a half-open connection behind.
    await nc.close();
    throw err;
  });
  const js = nc.jetstream();
  const consumers = new Set<Consumer>();

  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'error') logger?.warn({ status: status.type }, 'nats connection problem');
      else if (status.type === 'reconnect') logger?.info({ status: status.type }, 'nats reconnected');
    }
  })().catch((err: unknown) => logger?.warn({ err }, 'nats status watch ended'));

  return {
    ensureStream: (def) => ensureStream(jsm, def),
    publish: (subject, event, publishOpts) => publishEvent(js, subject, event, publishOpts),
    publishBatch: createBatchPublisher(nc),
    async consume(consumeOpts) {
      const consumer = await consumeEvents({ js, jsm, logger, isClosed: () => nc.isClosed() }, consumeOpts);
      const tracked: Consumer = {
        async stop() {
          consumers.delete(tracked);
          await consumer.stop();
        },
      };
      consumers.add(tracked);
      return tracked;
    },
    async close() {
      if (nc.isClosed()) return;
      await Promise.all([...consumers].map((c) => c.stop()));
      if (!nc.isClosed() && !nc.isDraining()) await nc.drain();
      await nc.closed();
    },
  };
}
