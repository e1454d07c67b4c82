import { connectEvents, type EventBus, type StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { Claims } from '../store/claims';
import type { KycEventStore } from '../store/kyc-event-store';

/** KYC's stream holds kyc.> (2-minute de-duplication window on the event id, as every domain stream). */
export const KYC_EVENTS_SUBJECTS = ['kyc.>'] as const;

/** The stream KYC's events go to (default name KYC_EVENTS), its subjects under `subjectPrefix` when given (EVENTS_SUBJECT_PREFIX). */
export const kycEventsStream = (name: string, subjectPrefix?: string): StreamDefinition => ({
  name,
  subjects: KYC_EVENTS_SUBJECTS.map((s) => (subjectPrefix ? `${subjectPrefix}.${s}` : s)),
  duplicateWindowMs: 120_000,
});

export type KycEventRelayOptions = {
  events: KycEventStore;
  /** The one-winner claims (kyc_claims): a relay publishes only during a lease period it claimed. */
  claims: Claims;
  /** How to connect the bus; the relay connects in the background, retries while NATS is away, closes it on stop. */
  connect: () => Promise<EventBus>;
  /** The stream name (KYC_EVENTS_STREAM). */
  stream: string;
  /** EVENTS_SUBJECT_PREFIX: the stream's subjects and every published subject under it (tests). */
  subjectPrefix?: string;
  /** Relays sharing a name share the work, one at a time. Default 'kyc-event-relay'. */
  relayName?: string;
  logger: Logger;
  /** Poll when not woken. Default 1000. */
  pollIntervalMs?: number;
  /** Length of one lease period. Default 10000. */
  leaseMs?: number;
  /** Events read per query. Default 200. */
  batchSize?: number;
  /** First retry delay after a failure, doubled per failure in a row up to retryMaxMs. Defaults 200, 5000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Appends events lost to a crash between a version step and its append (createKycEventRepair); run by the lease holder. */
  repair?: () => Promise<number>;
  /** How often `repair` runs. Default 30000. */
  repairIntervalMs?: number;
};

export type KycEventRelayStats = { published: number; failures: number; active: boolean; connected: boolean };

export type KycEventRelay = {
  /** Starts relaying in the background; never throws (a store or NATS away is retried). */
  start(): void;
  /** Wakes the relay now (after an append), instead of at its next poll. */
  wake(): void;
  /** Finishes the publish in flight, releases the lease, closes the bus it connected. */
  stop(): Promise<void>;
  /** Resolves once every event appended before the call is published (tests); rejects when stopped first. */
  drain(): Promise<void>;
  stats(): KycEventRelayStats;
};

const errorOf = (err: unknown) => (err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) });

/**
 * Relays kyc_events to JetStream with @baas/outbox's semantics on MongoDB: at least once (an event
 * is marked sent only after JetStream acknowledged it; a crash in between publishes it again and
 * JetStream drops the repeat by its msgID, the event id), in order (unsent events oldest first, one
 * publish at a time; a failure stops the batch and is retried from that event, never skipped), and
 * one relay at a time: time is cut into lease periods, each claimed by exactly one relay through a
 * unique claim document (FerretDB's conditional updates are not atomic; unique inserts are), and a
 * holder stops publishing a fifth of a period before its end, so two relays never publish at once.
 */
export function createKycEventRelay(opts: KycEventRelayOptions): KycEventRelay {
  const name = opts.relayName ?? 'kyc-event-relay';
  const leaseMs = opts.leaseMs ?? 10_000;
  const pollMs = opts.pollIntervalMs ?? 1000;
  const batchSize = opts.batchSize ?? 200;
  const retryBase = opts.retryBaseMs ?? 200;
  const retryMax = opts.retryMaxMs ?? 5000;
  const stream = kycEventsStream(opts.stream, opts.subjectPrefix);
  const subjectOf = (type: string) => (opts.subjectPrefix ? `${opts.subjectPrefix}.${type}` : type);
  const log = opts.logger.child({ component: 'kyc-event-relay', relay: name });
  const stats: KycEventRelayStats = { published: 0, failures: 0, active: false, connected: false };
  let bus: EventBus | null = null;
  let held: number | null = null;
  let lastRepair = 0;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const claimId = (period: number) => `kyc-event-relay:${name}:${period}`;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  /** Whether this relay holds the current lease period (claiming it when free). */
  async function holdsLease(now: number): Promise<boolean> {
    const period = Math.floor(now / leaseMs);
    if (held === period) return true;
    if (!(await opts.claims.take(claimId(period), new Date(now)))) {
      stats.active = false;
      return false;
    }
    if (held !== null) await opts.claims.release(claimId(held));
    held = period;
    stats.active = true;
    return true;
  }

  /** One pass: 'more' when another should follow at once. */
  async function pass(): Promise<'more' | 'idle'> {
    if (!(await holdsLease(Date.now()))) return 'idle';
    if (opts.repair && Date.now() - lastRepair >= (opts.repairIntervalMs ?? 30_000)) {
      const added = await opts.repair();
      lastRepair = Date.now();
      if (added > 0) log.warn({ added }, 'kyc events repaired: appends lost between a version step and its append');
    }
    if (!bus) {
      const connected = await opts.connect();
      try {
        await connected.ensureStream(stream);
      } catch (error) {
        await connected.close().catch(() => undefined);
        throw error;
      }
      bus = connected;
      stats.connected = true;
    }
    const periodEnd = (held! + 1) * leaseMs - leaseMs / 5;
    const batch = await opts.events.unsent(batchSize);
    for (const e of batch) {
      if (stopping || Date.now() >= periodEnd) return 'more';
      try {
        await bus.publish(subjectOf(e.type), { id: e.id, type: e.type, occurredAt: e.occurredAt.toISOString(), data: e.data }, { expectedStream: stream.name });
      } catch (error) {
        await opts.events.markFailed(e.id).catch(() => undefined);
        throw error;
      }
      await opts.events.markSent(e.id, new Date());
      stats.published += 1;
    }
    return batch.length === batchSize ? 'more' : 'idle';
  }

  async function run(): Promise<void> {
    let failuresInRow = 0;
    while (!stopping) {
      woken = false;
      try {
        const next = await pass();
        failuresInRow = 0;
        if (next === 'idle') await sleep(pollMs);
      } catch (error) {
        stats.failures += 1;
        failuresInRow += 1;
        const delay = Math.min(retryMax, retryBase * 2 ** (failuresInRow - 1));
        log.warn({ err: errorOf(error), attempt: failuresInRow, retryInMs: delay }, 'kyc event relay pass failed; retrying');
        woken = false;
        await sleep(delay);
      }
    }
  }

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  return {
    start() {
      if (!loop) loop = run();
    },
    wake,
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      if (held !== null) await opts.claims.release(claimId(held)).catch(() => undefined);
      held = null;
      stats.active = false;
      if (bus) await bus.close().catch(() => undefined);
      bus = null;
      stats.connected = false;
    },
    async drain() {
      const since = new Date();
      for (;;) {
        if (stopping) throw new Error('kyc event relay stopped before draining');
        const oldest = (await opts.events.unsent(1))[0];
        if (!oldest || oldest.createdAt > since) return;
        wake();
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stats: () => ({ ...stats }),
  };
}

/** The relay as the composition root runs it: its own NATS connection (unlimited reconnects), started at once. */
export function startKycEventRelay(opts: Omit<KycEventRelayOptions, 'connect'> & { natsUrl: string }): KycEventRelay {
  const { natsUrl, ...rest } = opts;
  const relay = createKycEventRelay({ ...rest, connect: () => connectEvents({ url: natsUrl, name: rest.relayName ?? 'kyc-event-relay', logger: rest.logger }) });
  relay.start();
  return relay;
}
