import type { Logger } from '@baas/observability';
import {
  INVALID_MESSAGE,
  decodeMessage,
  inquireSchema,
  newEndToEndId,
  randomAlphanumeric,
  simulateIncomingSchema,
  simulateReturnSchema,
  submitPaymentSchema,
} from '@baas/rails';
import type { InquireReply, SimulateIncomingReply, SimulateReturnReply, SubmitReply } from '@baas/rails';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Processor } from './processor';
import type { BankStore, PaymentRecord } from './store';
import { hasTrigger, parseTriggers } from './triggers';

/**
 * The answer to one request: `before` runs first (outside the payment's lock), then `reply` is sent
 * (none: the caller times out), then `after` runs.
 */
export type Outcome = { reply?: object; before?: () => Promise<void>; after?: () => void };

/** `[sandbox:early]`: how long the submit's answer follows the published outcome. */
export const EARLY_ANSWER_AFTER_MS = 500;

export type HandlerDeps = {
  store: BankStore;
  processor: Processor;
  logger: Logger;
  homeIspb: string;
  latencyMs: number;
  rejectRate: number;
  returnRate: number;
  random: () => number;
};

/** Reason of a random rejection (creditor account invalid) and of a random or default return (fraud). */
export const RANDOM_REJECT_REASON = 'AC03';
export const DEFAULT_RETURN_REASON = 'MD06';

const invalid = (logger: Logger, subject: string, problems: string[]): Outcome => {
  // Problems name fields and rules, never values.
  logger.warn({ subject, problems: problems.slice(0, 10) }, 'invalid rail message');
  return { reply: { accepted: false, reason: INVALID_MESSAGE } };
};

/** The request handlers of the sandbox bank, one per subject of the rail protocol. */
export function createHandlers(deps: HandlerDeps) {
  const { store, processor, logger } = deps;

  async function submit(data: Uint8Array): Promise<Outcome> {
    const parsed = decodeMessage(submitPaymentSchema, data);
    if (!parsed.ok) return invalid(logger, 'submit', parsed.problems);
    const req = parsed.value;
    const triggers = parseTriggers(req.remittance);
    if (triggers.silent) return {};
    return store.withLock(req.endToEndId, async (): Promise<Outcome> => {
      const known = await store.payment(req.endToEndId);
      if (known?.reply) {
        const reply = known.reply;
        const resume = known.pending === true && !processor.isScheduled(`p.${known.endToEndId}`);
        return { reply, after: resume ? () => processor.schedulePayment(known.endToEndId, known.delayMs) : undefined };
      }
      const delayMs = triggers.delayMs ?? deps.latencyMs;
      const base: PaymentRecord = {
        endToEndId: req.endToEndId,
        rail: req.rail,
        kind: req.kind,
        amount: req.amount,
        currency: req.currency,
        payeeIspb: req.payee.ispb,
        onUs: req.payee.ispb === deps.homeIspb,
        status: 'UNKNOWN',
        delayMs,
        returns: [],
      };
      if (triggers.timeout && !known?.timeoutSwallowed) {
        await store.savePayment({ ...base, timeoutSwallowed: true });
        logger.info({ endToEndId: req.endToEndId, trigger: 'timeout' }, 'first submit swallowed');
        return {};
      }
      if (triggers.refuse) {
        const reply: SubmitReply = { accepted: false, reason: triggers.refuse };
        await store.savePayment({ ...base, status: 'REJECTED', reason: triggers.refuse, reply });
        logger.info({ endToEndId: req.endToEndId, rail: req.rail, reason: triggers.refuse }, 'payment refused');
        return { reply };
      }
      const random = !hasTrigger(triggers);
      const rejectWith = triggers.reject ?? (random && deps.random() < deps.rejectRate ? RANDOM_REJECT_REASON : undefined);
      // An on-us payee is the platform's own customer: its side gives money back by a refund (an
      // order of its own, debiting the payee), never by a bank return, which would credit the payer
      // while the payee keeps the money.
      const returnReason = base.onUs
        ? undefined
        : (triggers.returnReason ?? (random && req.kind === 'PAYMENT' && deps.random() < deps.returnRate ? DEFAULT_RETURN_REASON : undefined));
      const railRef = `SBX${req.rail}${randomAlphanumeric(20)}`;
      const reply: SubmitReply = { accepted: true, railRef };
      const rec: PaymentRecord = {
        ...base,
        status: 'IN_FLIGHT',
        pending: true,
        reply,
        railRef,
        request: req,
        ...(rejectWith ? { rejectWith } : {}),
        returns:
          returnReason && !rejectWith
            ? [{ returnId: newEndToEndId(req.payee.ispb, new Date(), 'D'), amount: req.amount, reason: returnReason, published: false }]
            : [],
      };
      await store.savePayment(rec);
      logger.info({ endToEndId: req.endToEndId, rail: req.rail, kind: req.kind, onUs: rec.onUs, delayMs }, 'payment accepted');
      if (triggers.early) {
        // The outcome goes out first, the answer later: the rail's event overtakes its acceptance.
        return { reply, before: () => processor.finishPaymentNow(rec.endToEndId).then(() => sleep(EARLY_ANSWER_AFTER_MS)) };
      }
      return { reply, after: () => processor.schedulePayment(rec.endToEndId, delayMs) };
    });
  }

  async function inquire(data: Uint8Array): Promise<Outcome> {
    const parsed = decodeMessage(inquireSchema, data);
    if (!parsed.ok) return invalid(logger, 'inquire', parsed.problems);
    const rec = await store.payment(parsed.value.endToEndId);
    let reply: InquireReply = { status: 'UNKNOWN' };
    if (rec && rec.status !== 'UNKNOWN') {
      reply = {
        status: rec.status,
        ...(rec.reason ? { reason: rec.reason } : {}),
        ...(rec.status === 'SETTLED' && rec.settledAt ? { settledAt: rec.settledAt } : {}),
      };
    }
    return { reply };
  }

  async function simulateIncoming(data: Uint8Array): Promise<Outcome> {
    const parsed = decodeMessage(simulateIncomingSchema, data);
    if (!parsed.ok) return invalid(logger, 'sandbox.incoming', parsed.problems);
    const req = parsed.value;
    if (req.payee.ispb !== deps.homeIspb) return { reply: { accepted: false, reason: 'PAYEE_NOT_AT_HOME_ISPB' } };
    const endToEndId = req.endToEndId ?? newEndToEndId(req.payer.ispb, new Date(), 'E');
    return store.withLock(`i.${endToEndId}`, async (): Promise<Outcome> => {
      const reply: SimulateIncomingReply = { accepted: true, endToEndId };
      const known = await store.incoming(endToEndId);
      if (known) {
        const resume = !known.published && !processor.isScheduled(`i.${endToEndId}`);
        return { reply, after: resume ? () => processor.scheduleIncoming(endToEndId, known.delayMs) : undefined };
      }
      const event = {
        endToEndId,
        rail: req.rail,
        kind: 'PAYMENT' as const,
        amount: req.amount,
        currency: req.currency,
        payer: req.payer,
        payee: req.payee,
        ...(req.remittance !== undefined ? { remittance: req.remittance } : {}),
        receivedAt: new Date().toISOString(),
      };
      await store.saveIncoming({ endToEndId, published: false, event, delayMs: deps.latencyMs });
      logger.info({ endToEndId, rail: req.rail }, 'incoming payment simulated');
      return { reply, after: () => processor.scheduleIncoming(endToEndId, deps.latencyMs) };
    });
  }

  async function simulateReturn(data: Uint8Array): Promise<Outcome> {
    const parsed = decodeMessage(simulateReturnSchema, data);
    if (!parsed.ok) return invalid(logger, 'sandbox.return', parsed.problems);
    const req = parsed.value;
    return store.withLock(req.endToEndId, async (): Promise<Outcome> => {
      const refuse = (reason: string): Outcome => ({ reply: { accepted: false, reason } satisfies SimulateReturnReply });
      const rec = await store.payment(req.endToEndId);
      if (!rec || rec.status === 'UNKNOWN') return refuse('UNKNOWN_END_TO_END_ID');
      if (rec.kind !== 'PAYMENT') return refuse('NOT_RETURNABLE');
      if (rec.onUs) return refuse('ON_US_PAYMENT');
      if (rec.status !== 'SETTLED') return refuse('NOT_SETTLED');
      const owed = rec.returns.reduce((sum, r) => sum + BigInt(r.amount), 0n);
      const remaining = BigInt(rec.amount) - owed;
      if (remaining <= 0n) return refuse('ALREADY_RETURNED');
      const amount = req.amount ? BigInt(req.amount) : remaining;
      if (amount > remaining) return refuse('AMOUNT_EXCEEDS_REMAINING');
      const returnId = newEndToEndId(rec.payeeIspb, new Date(), 'D');
      const reason = req.reason ?? DEFAULT_RETURN_REASON;
      rec.returns.push({ returnId, amount: amount.toString(), reason, published: false });
      await store.savePayment(rec);
      logger.info({ endToEndId: rec.endToEndId, returnId, reason }, 'return simulated');
      return { reply: { accepted: true, returnId }, after: () => processor.scheduleReturn(rec.endToEndId, returnId, deps.latencyMs) };
    });
  }

  return { submit, inquire, simulateIncoming, simulateReturn };
}
