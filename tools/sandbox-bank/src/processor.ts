import type { EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { IncomingEvent, RailSubjects, RejectedEvent, ReturnedEvent, SettledEvent } from '@baas/rails';
import type { BankStore, PaymentRecord } from './store';

const MAX_RETRY_DELAY_MS = 10_000;

export type ProcessorDeps = {
  store: BankStore;
  bus: EventBus;
  subjects: RailSubjects;
  streamName: string;
  logger: Logger;
};

/**
 * The bank's deferred work: after a payment's latency it settles or rejects it (an on-us payment
 * first arrives at the payee), publishes returns and simulated incoming payments. Every step reads
 * its record again, publishes with a deterministic event id and then records that it is done, so
 * a retry (NATS down) or a restart (resume) never produces an event twice.
 */
export class Processor {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly scheduled = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: ProcessorDeps) {}

  /** Whether a job with this key is waiting or running. */
  isScheduled(key: string): boolean {
    return this.scheduled.has(key);
  }

  /** Settles or rejects an IN_FLIGHT payment after `delayMs`. */
  schedulePayment(endToEndId: string, delayMs: number): void {
    this.schedule(`p.${endToEndId}`, delayMs, () => this.deps.store.withLock(endToEndId, () => this.finishPayment(endToEndId)));
  }

  /** Settles or rejects an IN_FLIGHT payment now, resolving once its events are out (`[sandbox:early]`). */
  finishPaymentNow(endToEndId: string): Promise<void> {
    return this.deps.store.withLock(endToEndId, () => this.finishPayment(endToEndId));
  }

  /** Publishes a recorded return after `delayMs`. */
  scheduleReturn(endToEndId: string, returnId: string, delayMs: number): void {
    this.schedule(`r.${returnId}`, delayMs, () => this.deps.store.withLock(endToEndId, () => this.publishReturn(endToEndId, returnId)));
  }

  /** Publishes a recorded simulated incoming payment after `delayMs`. */
  scheduleIncoming(endToEndId: string, delayMs: number): void {
    this.schedule(`i.${endToEndId}`, delayMs, () => this.deps.store.withLock(`i.${endToEndId}`, () => this.publishIncoming(endToEndId)));
  }

  /** Cancels every waiting job (their records stay unfinished and are resumed by the next start). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(key: string, delayMs: number, job: () => Promise<void>): void {
    if (this.stopped || this.scheduled.has(key)) return;
    this.scheduled.add(key);
    const attempt = (n: number, wait: number) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        job().then(
          () => this.scheduled.delete(key),
          (err: unknown) => {
            if (this.stopped) return void this.scheduled.delete(key);
            const retryInMs = Math.min(250 * 2 ** n, MAX_RETRY_DELAY_MS);
            this.deps.logger.warn({ err: errorSummary(err), job: key.slice(0, 1), retryInMs }, 'sandbox bank job failed; retrying');
            attempt(n + 1, retryInMs);
          },
        );
      }, wait);
      this.timers.add(timer);
    };
    attempt(0, delayMs);
  }

  private async finishPayment(endToEndId: string): Promise<void> {
    const { store, subjects, logger } = this.deps;
    const rec = await store.payment(endToEndId);
    if (!rec?.pending) return;
    if (rec.rejectWith) {
      // The status changes first (an inquiry after the event must see it), the event goes out, then the record says so.
      if (rec.status !== 'REJECTED') await store.savePayment(Object.assign(rec, { status: 'REJECTED', reason: rec.rejectWith, request: undefined }));
      const data: RejectedEvent = { endToEndId, rail: rec.rail, reason: rec.rejectWith };
      await this.publish(subjects.event.rejected, 'rejected', `rejected.${endToEndId}`, data);
      await store.savePayment({ ...rec, pending: false });
      logger.info({ endToEndId, rail: rec.rail, status: 'REJECTED', reason: rec.rejectWith }, 'payment rejected');
      return;
    }
    if (!rec.settledAt) {
      // Fixed before any event goes out, so that a retried step publishes the same times.
      rec.settledAt = new Date().toISOString();
      await store.savePayment(rec);
    }
    if (rec.onUs && rec.request) {
      await this.publish(subjects.event.incoming, 'incoming', `incoming.${endToEndId}`, incomingOf(rec));
    }
    if (rec.status !== 'SETTLED') await store.savePayment(Object.assign(rec, { status: 'SETTLED', request: undefined }));
    const settled: SettledEvent = { endToEndId, rail: rec.rail, railRef: rec.railRef ?? endToEndId, settledAt: rec.settledAt };
    await this.publish(subjects.event.settled, 'settled', `settled.${endToEndId}`, settled);
    await store.savePayment(Object.assign(rec, { pending: false }));
    logger.info({ endToEndId, rail: rec.rail, status: 'SETTLED', onUs: rec.onUs }, 'payment settled');
    for (const ret of rec.returns) if (!ret.published) this.scheduleReturn(endToEndId, ret.returnId, rec.delayMs);
  }

  private async publishReturn(endToEndId: string, returnId: string): Promise<void> {
    const { store, subjects, logger } = this.deps;
    const rec = await store.payment(endToEndId);
    const ret = rec?.returns.find((r) => r.returnId === returnId);
    if (!rec || !ret || ret.published || rec.status !== 'SETTLED') return;
    const returnedAt = ret.returnedAt ?? new Date().toISOString();
    if (!ret.returnedAt) {
      ret.returnedAt = returnedAt;
      await store.savePayment(rec);
    }
    const data: ReturnedEvent = { endToEndId, returnId, amount: ret.amount, currency: rec.currency, reason: ret.reason, returnedAt };
    await this.publish(subjects.event.returned, 'returned', `returned.${returnId}`, data);
    ret.published = true;
    await store.savePayment(rec);
    logger.info({ endToEndId, returnId, reason: ret.reason }, 'payment returned');
  }

  private async publishIncoming(endToEndId: string): Promise<void> {
    const { store, subjects, logger } = this.deps;
    const rec = await store.incoming(endToEndId);
    if (!rec || rec.published || !rec.event) return;
    await this.publish(subjects.event.incoming, 'incoming', `incoming.${endToEndId}`, rec.event);
    await store.saveIncoming({ ...rec, published: true, event: undefined });
    logger.info({ endToEndId, rail: rec.event.rail }, 'incoming payment delivered');
  }

  private async publish<T>(subject: string, type: string, id: string, data: T): Promise<void> {
    await this.deps.bus.publish(subject, { id, type, data }, { expectedStream: this.deps.streamName });
  }
}

function incomingOf(rec: PaymentRecord): IncomingEvent {
  const r = rec.request!;
  return {
    endToEndId: rec.endToEndId,
    rail: r.rail,
    kind: r.kind,
    amount: r.amount,
    currency: r.currency,
    payer: r.payer,
    payee: r.payee,
    ...(r.remittance !== undefined ? { remittance: r.remittance } : {}),
    ...(r.returnOf !== undefined ? { returnOf: r.returnOf } : {}),
    ...(r.returnReason !== undefined ? { returnReason: r.returnReason } : {}),
    receivedAt: rec.settledAt!,
  };
}

/** An error's name, code and message only: never its other properties (they may carry a payload). */
export function errorSummary(err: unknown): { name?: string; code?: unknown; message?: string } {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 200) };
  return { name: err.name, code: (err as { code?: unknown }).code, message: err.message.slice(0, 200) };
}
