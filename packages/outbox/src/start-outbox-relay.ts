import { createPool } from '@baas/db';
import { connectEvents } from '@baas/events';
import { createOutboxRelay } from './create-outbox-relay';
import type { OutboxDescriptor } from './outbox-descriptor';
import { prepareJsonEvent } from './prepare-json-event';
import type { OutboxRelayOptions, OutboxRelayStats } from './relay-types';

export type StartOutboxRelayOptions = Omit<OutboxRelayOptions, 'pool' | 'bus' | 'connect'> & {
  /** The outbox's database: the relay keeps a pool of two connections of its own. */
  databaseUrl: string;
  natsUrl: string;
  /** Names the pool (application_name `baas-<name>`) and the NATS connection. */
  name: string;
};

export type StartedOutboxRelay = {
  /** Finishes the wave in flight, records the cursor, releases the lock, closes the NATS connection and the pool. */
  stop(): Promise<void>;
  /** Resolves once every row committed before the call is handled (tests). */
  drain(): Promise<void>;
  stats(): OutboxRelayStats;
};

/**
 * A service's outbox relayed to JetStream, as every subgraph runs it: its own small pool (errors of
 * a store going away are the relay's to retry, never the process's), a NATS connection it opens
 * and re-opens itself, started in the background; it never throws while a store is away.
 */
export function startOutboxRelay(opts: StartOutboxRelayOptions): StartedOutboxRelay {
  const { databaseUrl, natsUrl, name, ...relayOptions } = opts;
  // @baas/db's pool listens for the 'error' a PostgreSQL restart emits on its clients (the relay's
  // own queries fail and are retried; unlistened, the event would end the process).
  const pool = createPool(databaseUrl, { max: 2, applicationName: `baas-${name}` });
  const relay = createOutboxRelay({ ...relayOptions, pool, connect: () => connectEvents({ url: natsUrl, name, logger: opts.logger }) });
  const started = relay.start();
  return {
    async stop() {
      await started;
      await relay.stop();
      await pool.end();
    },
    async drain() {
      await started;
      await relay.drain();
    },
    stats: () => relay.stats(),
  };
}

/** The descriptor publishing each stored subject as `subject(stored)` (tests prefix it to stay on a stream of their own). */
export function withSubject(outbox: OutboxDescriptor, subject: ((stored: string) => string) | undefined): OutboxDescriptor {
  if (!subject) return outbox;
  const prepare = outbox.prepare ?? prepareJsonEvent;
  return {
    ...outbox,
    prepare: async (row) => {
      const message = await prepare(row);
      return 'subject' in message ? { ...message, subject: subject(message.subject) } : message;
    },
  };
}

/**
 * The descriptor under a subject prefix: its stream's subjects and every published subject become
 * `<prefix>.<subject>` (the envelope's `type` stays the stored subject). Test platforms and
 * side-by-side deployments on one NATS use it, since two streams may not share subjects. No
 * prefix: the descriptor as it is.
 */
export function withSubjectPrefix(outbox: OutboxDescriptor, prefix: string | undefined): OutboxDescriptor {
  if (!prefix) return outbox;
  const prefixed = withSubject(outbox, (stored) => `${prefix}.${stored}`);
  return { ...prefixed, stream: { ...outbox.stream, subjects: outbox.stream.subjects.map((s) => `${prefix}.${s}`) } };
}
