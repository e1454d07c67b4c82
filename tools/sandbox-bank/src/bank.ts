import { connect } from 'nats';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { connectEvents } from '@baas/events';
import type { EventBus } from '@baas/events';
import { createLogger } from '@baas/observability';
import type { Logger } from '@baas/observability';
import { SANDBOX_BANK_BUCKET, encodeMessage, railSubjects, railsEventsStream } from '@baas/rails';
import { createHandlers } from './handlers';
import type { Outcome } from './handlers';
import { Processor, errorSummary } from './processor';
import { BankStore } from './store';

export type SandboxBankOptions = {
  /** e.g. nats://127.0.0.1:4222 (JetStream enabled). */
  natsUrl: string;
  /** ISPB of our own platform: a payee there makes a payment "on us". Default '99999999'. */
  homeIspb?: string;
  /** Delay between accepting a payment and its outcome; default 20 ms. */
  latencyMs?: number;
  /** Share (0..1) of payments without a trigger that are rejected (AC03); default 0. */
  rejectRate?: number;
  /** Share (0..1) of settled payments without a trigger that come back (MD06); default 0. */
  returnRate?: number;
  logger?: Logger;
  /** Subject namespace; default 'rails' (tests use their own). */
  namespace?: string;
  /** Event stream name; default RAILS_EVENTS. */
  streamName?: string;
  /** KV bucket of the bank's memory; default SANDBOX_BANK. */
  bucket?: string;
  /** Random source for the reject/return rates (tests); default Math.random. */
  random?: () => number;
};

export type SandboxBank = { stop(): Promise<void> };

/** Queue group: two banks on the same subjects (a restart's overlap) split requests instead of both answering. */
const QUEUE = 'sandbox-bank';
/** The bank forgets a payment after this long (bounds its bucket). */
const MEMORY_TTL_MS = 7 * 24 * 3600_000;

/**
 * Starts the sandbox counterparty bank: answers the rail protocol's requests on NATS and publishes
 * its events to JetStream (see @baas/rails' README). Resumes work a previous run left unfinished.
 */
export async function startSandboxBank(options: SandboxBankOptions): Promise<SandboxBank> {
  const homeIspb = options.homeIspb ?? '99999999';
  if (!/^\d{8}$/.test(homeIspb)) throw new TypeError('homeIspb must be 8 digits');
  const rate = (v: number | undefined, name: string) => {
    const r = v ?? 0;
    if (!(r >= 0 && r <= 1)) throw new TypeError(`${name} must be between 0 and 1`);
    return r;
  };
  const rejectRate = rate(options.rejectRate, 'rejectRate');
  const returnRate = rate(options.returnRate, 'returnRate');
  const latencyMs = options.latencyMs ?? 20;
  if (!Number.isInteger(latencyMs) || latencyMs < 0) throw new TypeError('latencyMs must be a non-negative integer');
  const logger = (options.logger ?? createLogger({ service: 'sandbox-bank' })).child({ component: 'sandbox-bank' });
  const subjects = railSubjects(options.namespace);
  const stream = railsEventsStream(options.namespace, options.streamName);

  const nc = await connect({ servers: options.natsUrl, name: 'sandbox-bank', maxReconnectAttempts: -1 });
  let bus: EventBus | undefined;
  try {
    bus = await connectEvents({ url: options.natsUrl, name: 'sandbox-bank', logger });
    await bus.ensureStream(stream);
    const kv = await nc.jetstream().views.kv(options.bucket ?? SANDBOX_BANK_BUCKET, { history: 1, ttl: MEMORY_TTL_MS });
    const store = new BankStore(kv);
    const processor = new Processor({ store, bus, subjects, streamName: stream.name, logger });
    const handlers = createHandlers({
      store,
      processor,
      logger,
      homeIspb,
      latencyMs,
      rejectRate,
      returnRate,
      random: options.random ?? Math.random,
    });
    const inFlight = new Set<Promise<void>>();
    const serve = (name: string, handler: (data: Uint8Array) => Promise<Outcome>) => (err: Error | null, msg: Msg) => {
      if (err) return void logger.warn({ err: errorSummary(err), subject: name }, 'subscription error');
      const work = answer(msg, name, handler).finally(() => inFlight.delete(work));
      inFlight.add(work);
    };
    const answer = async (msg: Msg, name: string, handler: (data: Uint8Array) => Promise<Outcome>) => {
      try {
        const outcome = await handler(msg.data);
        await outcome.before?.();
        if (outcome.reply && msg.reply) msg.respond(encodeMessage(outcome.reply));
        outcome.after?.();
      } catch (err) {
        // No answer: the caller times out and retries with the same id, which is safe.
        logger.warn({ err: errorSummary(err), subject: name }, 'request not answered');
      }
    };
    const subs: Subscription[] = [
      nc.subscribe(subjects.submit, { queue: QUEUE, callback: serve('submit', handlers.submit) }),
      nc.subscribe(subjects.inquire, { queue: QUEUE, callback: serve('inquire', handlers.inquire) }),
      nc.subscribe(subjects.simulateIncoming, { queue: QUEUE, callback: serve('sandbox.incoming', handlers.simulateIncoming) }),
      nc.subscribe(subjects.simulateReturn, { queue: QUEUE, callback: serve('sandbox.return', handlers.simulateReturn) }),
    ];
    await nc.flush();
    watchStatus(nc, logger);
    void resume(store, processor, logger);
    logger.info({ homeIspb, latencyMs, rejectRate, returnRate, namespace: options.namespace ?? 'rails' }, 'sandbox bank started');

    let stopping: Promise<void> | undefined;
    const openBus = bus;
    return {
      stop() {
        stopping ??= (async () => {
          for (const sub of subs) sub.unsubscribe();
          await Promise.allSettled([...inFlight]);
          processor.stop();
          await openBus.close().catch(() => undefined);
          if (!nc.isClosed()) await nc.drain().catch(() => undefined);
          logger.info('sandbox bank stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await bus?.close().catch(() => undefined);
    await nc.close().catch(() => undefined);
    throw err;
  }
}

/** Schedules what a previous run accepted but did not finish (payments in flight, unpublished returns and incoming payments). */
async function resume(store: BankStore, processor: Processor, logger: Logger): Promise<void> {
  try {
    let resumed = 0;
    for (const key of await store.keys()) {
      const id = key.slice(2);
      if (key.startsWith('p.')) {
        const rec = await store.payment(id);
        if (rec?.pending) (processor.schedulePayment(id, rec.delayMs), resumed++);
        else if (rec?.status === 'SETTLED') {
          for (const ret of rec.returns) if (!ret.published) (processor.scheduleReturn(id, ret.returnId, rec.delayMs), resumed++);
        }
      } else if (key.startsWith('i.')) {
        const rec = await store.incoming(id);
        if (rec && !rec.published) (processor.scheduleIncoming(id, rec.delayMs), resumed++);
      }
    }
    if (resumed > 0) logger.info({ resumed }, 'resumed unfinished work');
  } catch (err) {
    logger.warn({ err: errorSummary(err) }, 'resuming unfinished work failed');
  }
}

function watchStatus(nc: NatsConnection, logger: Logger): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'error') logger.warn({ status: status.type }, 'nats connection problem');
      else if (status.type === 'reconnect') logger.info({ status: status.type }, 'nats reconnected');
    }
  })().catch(() => undefined);
}
