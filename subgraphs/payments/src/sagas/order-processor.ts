import { createSagaWaiter, type SagaLogger } from '@baas/saga';
import { DomainError } from '@baas/errors';
import { isFinalPaymentOrderState, transition, type PaymentOrderEvent, type PaymentOrderState } from '../domain/payment-order';
import { orderOf, type OrderExtras, type PaymentOrderRow, type PaymentOrderStore } from '../store/payment-order-store';
import type { RailPort } from '../workers/rail-port';
import { LedgerRefusal, performMoneyEffects, type EffectDeps } from './order-effects';
import { railSubmission } from './rail-submission';

/** The policy path's part where money is committed (limits reserved, risk asked again with the order's id). */
export type OrderPolicy = {
  approve(row: PaymentOrderRow): Promise<{ ok: true; railData?: Record<string, unknown> } | { ok: false; code: string }>;
  /** Gives a reservation back (a failed or cancelled order); a no-op when none was made. */
  release(row: PaymentOrderRow): Promise<void>;
};

export type OrderProcessorDeps = EffectDeps & {
  orders: Pick<PaymentOrderStore, 'findById' | 'apply' | 'schedule' | 'claim' | 'due'>;
  rail: Pick<RailPort, 'submit' | 'inquire'>;
  policy: OrderPolicy;
  /** Opens the rails' platform ledger accounts of a currency (once per process). */
  ensureAccounts(currency: string): Promise<void>;
  /** A rail's own window: when a due SCHEDULED order may go, if later than `now` (a TED outside its window); null: now. */
  notBefore?(row: PaymentOrderRow, now: Date): Date | null;
  settings: { leaseMs: number; inquiryAfterMs: number; maxSubmitAttempts: number; retryBaseMs: number; retryMaxMs: number };
  logger: SagaLogger;
};

type Advance = { row: PaymentOrderRow; stop: boolean };

const railData = (row: PaymentOrderRow) => (row.railData ?? {}) as Record<string, unknown>;

/**
 * Drives payment orders through the domain's state machine (domain/payment-order.ts), one persisted
 * transition at a time: the order row is the saga record (every write is conditional on its
 * version; `next_attempt_at` is its lease and its next look). Money effects run before the
 * transition that records them and are idempotent (derived ledger ids), so a crash between the two
 * repeats the effect as a replay. A SENT order waits for its rail's event (rail-events use case);
 * recovery asks the rail about it after `inquiryAfterMs`. Chosen over @baas/saga's step lists:
 * an order waits on outside parties for minutes to months between steps (a TED's window, a return
 * 90 days later), and its states are the domain's, not a step index.
 */
export function createOrderProcessor(deps: OrderProcessorDeps) {
  const { orders, settings, logger } = deps;
  const waiter = createSagaWaiter();
  const later = (ms: number) => new Date(Date.now() + ms);
  const asSaga = (row: PaymentOrderRow) => ({ ...row, kind: row.rail, status: isFinalPaymentOrderState(row.state as PaymentOrderState) || row.state === 'SCHEDULED' ? ('SUCCEEDED' as const) : ('RUNNING' as const), step: null, failureCode: null, fence: row.version });

  /** Applies `event` (its money effects first) unless the order already moved past it; re-reads and retries on a concurrent write. */
  async function move(row: PaymentOrderRow, event: PaymentOrderEvent, extras: OrderExtras = {}): Promise<PaymentOrderRow> {
    let current = row;
    for (let i = 0; i < 5; i++) {
      const step = transition(orderOf(current), event, new Date());
      if (!step.changed) return current;
      await performMoneyEffects(deps, current, step.effects);
      const final = isFinalPaymentOrderState(step.order.state);
      const written = await orders.apply(current, step, { ...(final ? { nextAttemptAt: null } : {}), ...extras, ...(step.order.state === 'SETTLED' && current.state !== 'SETTLED' ? { settledAt: new Date() } : {}) });
      if (written) {
        waiter.notify(written.id);
        return written;
      }
      current = (await orders.findById(current.id)) ?? current;
    }
    throw new Error(`payment order ${row.id}: too many concurrent writes`);
  }

  /** Fails the order (the hold voided) and gives its limit reservation back. */
  async function fail(row: PaymentOrderRow, reason: string): Promise<PaymentOrderRow> {
    const failed = await move(row, { type: 'FAIL', reason });
    // Only the move that failed it gives the reservation back (a repeat finds it FAILED already).
    if (failed.version !== row.version && row.state !== 'FAILED') await deps.policy.release(failed);
    return failed;
  }

  /** Cancels an order not sent yet (the hold voided, the reservation given back); the domain refuses once it is SENT. */
  async function cancel(row: PaymentOrderRow): Promise<PaymentOrderRow> {
    const cancelled = await move(row, { type: 'CANCEL' });
    if (cancelled.version !== row.version && row.state !== 'CANCELLED') await deps.policy.release(cancelled);
    return cancelled;
  }

  async function submit(row: PaymentOrderRow): Promise<Advance> {
    const out = await deps.rail.submit(railSubmission(row));
    if (out.outcome === 'ACCEPTED') return { row: await move(row, { type: 'SENT_TO_RAIL' }, { nextAttemptAt: later(settings.inquiryAfterMs), attempts: 0 }), stop: true };
    if (out.outcome === 'REFUSED') return { row: await fail(row, out.reason), stop: true };
    const attempts = row.attempts + 1;
    if (attempts < settings.maxSubmitAttempts) {
      return { row: (await orders.schedule(row, later(Math.min(settings.retryBaseMs * 2 ** attempts, settings.retryMaxMs)), attempts)) ?? row, stop: true };
    }
    // Out of tries: ask before giving up (the bank may have it after all).
    const inquiry = await deps.rail.inquire(row.endToEndId!);
    if (inquiry.status === 'IN_FLIGHT' || inquiry.status === 'SETTLED') return { row: await move(row, { type: 'SENT_TO_RAIL' }, { nextAttemptAt: later(0), attempts: 0 }), stop: false };
    if (inquiry.status === 'REJECTED') return { row: await fail(row, inquiry.reason ?? 'REJECTED'), stop: true };
    if (inquiry.status === 'NO_ANSWER') return { row: (await orders.schedule(row, later(settings.retryMaxMs), attempts)) ?? row, stop: true };
    return { row: await fail(row, 'RAIL_TIMEOUT'), stop: true };
  }

  async function advance(row: PaymentOrderRow): Promise<Advance> {
    const order = orderOf(row);
    const now = new Date();
    switch (order.state) {
      case 'SCHEDULED':
        if (order.scheduledFor && order.scheduledFor > now) return { row: (await orders.schedule(row, order.scheduledFor)) ?? row, stop: true };
        // Due, but its rail is closed now (recovery came back after a TED's cut-off): the next window.
        const window = deps.notBefore?.(row, now);
        if (window && window > now) return { row: (await orders.schedule(row, window)) ?? row, stop: true };
        return { row: await move(row, { type: 'RELEASE' }, { nextAttemptAt: later(settings.leaseMs) }), stop: false };
      case 'CREATED': {
        if (row.kind !== 'PAYMENT') return { row: await move(row, { type: 'APPROVE' }, { nextAttemptAt: later(settings.leaseMs) }), stop: false };
        const decision = await deps.policy.approve(row);
        if (!decision.ok) return { row: await move(row, { type: 'DENY', reason: decision.code }), stop: true };
        const data = decision.railData ? { railData: { ...railData(row), ...decision.railData } as never } : {};
        return { row: await move(row, { type: 'APPROVE' }, { nextAttemptAt: later(settings.leaseMs), ...data }), stop: false };
      }
      case 'APPROVED':
        await deps.ensureAccounts(row.currency);
        try {
          return { row: await move(row, { type: 'HOLD_PLACED' }, { nextAttemptAt: later(settings.leaseMs) }), stop: false };
        } catch (error) {
          if (!(error instanceof LedgerRefusal)) throw error;
          return { row: await fail(row, error.code), stop: true };
        }
      case 'PENDING':
        if (row.rail === 'BOOK') return { row: await move(row, { type: 'SETTLE' }), stop: true };
        // A MED return waits here, its funds blocked, until the case is resolved.
        if (railData(row).awaitingMedCase) return { row: (await orders.schedule(row, null)) ?? row, stop: true };
        return submit(row);
      case 'SENT': {
        const inquiry = await deps.rail.inquire(row.endToEndId!);
        if (inquiry.status === 'SETTLED') return { row: await settle(row), stop: true };
        if (inquiry.status === 'REJECTED') return { row: await fail(row, inquiry.reason ?? 'REJECTED'), stop: true };
        if (inquiry.status === 'UNKNOWN') {
          // The rail lost it (or never had it): hand it over again under the same id.
          const out = await deps.rail.submit(railSubmission(row));
          if (out.outcome === 'REFUSED') return { row: await fail(row, out.reason), stop: true };
        }
        return { row: (await orders.schedule(row, later(settings.inquiryAfterMs))) ?? row, stop: true };
      }
      case 'SETTLED':
        // A settled return whose record on the returned order was not written yet (a crash between the two).
        if (returnsAnOrder(row)) return { row: await recordReturn(row), stop: true };
        return { row: row.nextAttemptAt ? ((await orders.schedule(row, null)) ?? row) : row, stop: true };
      default:
        return { row: row.nextAttemptAt ? ((await orders.schedule(row, null)) ?? row) : row, stop: true };
    }
  }

  /** Whether `row` gives money back for an order of ours (a refund or MED return of a payment received). */
  const returnsAnOrder = (row: PaymentOrderRow) => row.kind !== 'PAYMENT' && row.returnOfId !== null;

  /**
   * The rail settled it: the hold is posted. A settlement may overtake the rail's answer to our
   * submit (the order still PENDING here while that answer is on its way): the rail has the
   * payment, so it is recorded SENT, then SETTLED, never dropped. A settled return is then recorded
   * on the order it returns; until that is written the return keeps a next look (a crash in between
   * is finished by recovery).
   */
  async function settle(row: PaymentOrderRow): Promise<PaymentOrderRow> {
    let current = row;
    if (current.state === 'PENDING' && current.rail !== 'BOOK' && !railData(current).awaitingMedCase) {
      try {
        current = await move(current, { type: 'SENT_TO_RAIL' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        current = (await orders.findById(current.id)) ?? current; // another writer moved it on
      }
    }
    const settled = await move(current, { type: 'SETTLE' }, returnsAnOrder(current) && current.state !== 'SETTLED' ? { nextAttemptAt: later(settings.leaseMs) } : {});
    return returnsAnOrder(settled) && settled.state === 'SETTLED' ? recordReturn(settled) : settled;
  }

  /**
   * Records a settled refund or MED return on the order it returns (that order's returned amount
   * and state: PARTIALLY_RETURNED, RETURNED; its money left through the return's own order), then
   * clears the return's next look. Idempotent by the return's end-to-end id.
   */
  async function recordReturn(ret: PaymentOrderRow): Promise<PaymentOrderRow> {
    if (ret.returnOfId && ret.endToEndId) {
      const event = { type: 'RETURN' as const, returnId: ret.endToEndId, amount: ret.amount, reason: (railData(ret).returnReason as string | undefined) ?? 'MD06' };
      let recorded = false;
      for (let i = 0; i < 5 && !recorded; i++) {
        const original = await orders.findById(ret.returnOfId);
        if (!original) break;
        const step = transition(orderOf(original), event, new Date());
        recorded = !step.changed || (await orders.apply(original, step)) !== null;
      }
      if (!recorded) throw new Error(`payment order ${ret.returnOfId}: too many concurrent writes recording a return`);
    }
    if (ret.nextAttemptAt === null) return ret;
    return (await orders.schedule(ret, null)) ?? (await orders.findById(ret.id)) ?? ret;
  }

  return {
    waiter,
    move,
    fail,
    cancel,
    settle,
    /**
     * Drives an order as far as it goes now: `claimed` when the caller holds its lease (it created
     * it), else the order is claimed when due. A transient failure (ledger, rail, database) leaves
     * it for recovery with a back-off. Returns the order as it stands.
     */
    async drive(id: string, claimed?: PaymentOrderRow | null): Promise<PaymentOrderRow | null> {
      let row = claimed ?? (await orders.claim(id, settings.leaseMs));
      if (!row) return orders.findById(id);
      for (let i = 0; i < 10; i++) {
        try {
          const next = await advance(row);
          row = next.row;
          if (next.stop) return row;
        } catch (error) {
          if (error instanceof DomainError) {
            // A move the machine refuses here means another writer moved the order: read it again.
            row = (await orders.findById(row.id)) ?? row;
            continue;
          }
          const attempts = row.attempts + 1;
          logger.warn({ orderId: row.id, state: row.state, err: (error as Error).message }, 'payment order step failed; retrying later');
          const current = (await orders.findById(row.id).catch(() => null)) ?? row;
          return (await orders.schedule(current, later(Math.min(settings.retryBaseMs * 2 ** Math.min(attempts, 10), settings.retryMaxMs)), attempts).catch(() => null)) ?? current;
        }
      }
      return row;
    },
    /** drive() without waiting for it (the caller answers now); a failure it cannot absorb is logged, recovery takes the order up. */
    driveInBackground(id: string, claimed?: PaymentOrderRow | null): void {
      this.drive(id, claimed).catch((error: unknown) => logger.error({ orderId: id, err: (error as Error).message }, 'payment order drive failed; recovery will take it up'));
    },
    /** Waits at most `waitMs` for the order to reach a final state (or SCHEDULED, where it waits for its time). */
    async wait(row: PaymentOrderRow, waitMs: number): Promise<PaymentOrderRow> {
      const done = await waiter.wait(asSaga(row), waitMs, async (id) => {
        const r = await orders.findById(id);
        return r ? asSaga(r) : null;
      });
      return (await orders.findById(done.id)) ?? row;
    },
    /** One recovery pass: drives up to `limit` due orders; returns how many. */
    async recoverDue(limit: number): Promise<number> {
      const ids = await orders.due(limit);
      for (const id of ids) await this.drive(id);
      return ids.length;
    },
  };
}

export type OrderProcessor = ReturnType<typeof createOrderProcessor>;
