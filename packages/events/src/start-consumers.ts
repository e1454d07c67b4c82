import type { Logger } from '@baas/observability';
import { connectEvents } from './connect-events';
import type { ConsumeOptions, Consumer, EventBus, StreamDefinition } from './types';

/** One durable consumer to keep subscribed; `ensure` creates its stream first (when this service owns it). */
export type ConsumerRoute = ConsumeOptions & { ensure?: StreamDefinition };

export type StartConsumersOptions = {
  natsUrl: string;
  /** The connection's name (the worker's). */
  name: string;
  logger: Logger;
  routes: readonly ConsumerRoute[];
};

/**
 * A worker's durable consumers, kept subscribed in the background: NATS down or a stream not there
 * yet, each route is retried (0.5 s doubling to 10 s) and nothing throws; one connection for all.
 * Resolves after the first try of every route. `stop()` drains the consumers and closes the connection.
 */
export async function startConsumers(opts: StartConsumersOptions): Promise<{ stop(): Promise<void> }> {
  const log = opts.logger.child({ worker: opts.name });
  let bus: Promise<EventBus> | null = null;
  const connect = () =>
    (bus ??= connectEvents({ url: opts.natsUrl, name: opts.name, logger: opts.logger }).catch((err: unknown) => {
      bus = null;
      throw err;
    }));
  let stopped = false;
  const consumers: Consumer[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const subscribe = async (route: ConsumerRoute, attempt: number): Promise<void> => {
    try {
      const events = await connect();
      const { ensure, ...consume } = route;
      if (ensure) await events.ensureStream(ensure);
      const consumer = await events.consume(consume);
      consumers.push(consumer);
      if (stopped) await consumer.stop();
      else if (attempt > 0) log.info({ stream: route.stream, durable: route.durable, attempt }, 'subscribed');
    } catch (err) {
      if (attempt === 0) log.warn({ err, stream: route.stream, durable: route.durable }, 'not subscribed yet (NATS down or no stream): retrying');
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void subscribe(route, attempt + 1);
      }, Math.min(500 * 2 ** attempt, 10_000));
      timers.add(timer);
    }
  };
  await Promise.all(opts.routes.map((r) => subscribe(r, 0)));

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(consumers.map((c) => c.stop().catch(() => undefined)));
      await (await bus?.catch(() => null))?.close().catch(() => undefined);
    },
  };
}
