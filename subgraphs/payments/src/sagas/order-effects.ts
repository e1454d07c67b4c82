import { derivedUuid } from '@baas/server';
import { written, type LedgerClient, type NewTransfer } from '../clients/ledger/client';
import { PAYMENTS_LEDGER_CODES, PAYMENTS_TRANSFER_CODES } from '../domain/ledger-codes';
import type { PaymentOrderEffect } from '../domain/payment-order';
import type { PaymentOrderRow } from '../store/payment-order-store';

/** The platform ledger accounts of the rails (derived ids: a restart or another process names the same ones). */
export const clearingAccountId = (rail: string, currency: string): string => derivedUuid(`payments:clearing:${rail}:${currency.toUpperCase()}`);
export const feesAccountId = (currency: string): string => derivedUuid(`payments:fees:${currency.toUpperCase()}`);

/** The ledger ids of an order's writes: deterministic, so every effect is safe to repeat (the ledger answers REPLAYED). */
export const orderLedgerIds = (orderId: string) => ({
  hold: derivedUuid(`payments:${orderId}:hold`),
  feeHold: derivedUuid(`payments:${orderId}:fee-hold`),
  post: derivedUuid(`payments:${orderId}:post`),
  feePost: derivedUuid(`payments:${orderId}:fee-post`),
  void: derivedUuid(`payments:${orderId}:void`),
  feeVoid: derivedUuid(`payments:${orderId}:fee-void`),
  credit: derivedUuid(`payments:${orderId}:credit`),
  reverse: (returnId: string) => derivedUuid(`payments:${orderId}:return:${returnId}`),
});

/** A refusal the ledger answered to a hold (insufficient funds, a frozen account): the order fails with it. */
export class LedgerRefusal extends Error {
  override name = 'LedgerRefusal';
  constructor(readonly code: string) {
    super(`the ledger refused: ${code}`);
  }
}

export type EffectDeps = { ledger: Pick<LedgerClient, 'createTransfers' | 'postPending' | 'voidPending'> };

const metadata = (row: PaymentOrderRow) => ({ paymentOrderId: row.id, rail: row.rail, kind: row.kind, ...(row.endToEndId ? { endToEndId: row.endToEndId } : {}) });

/**
 * Performs an order's money effects in order (the domain's PLACE_HOLD, POST_HOLD, VOID_HOLD,
 * REVERSE; PUBLISH is the store's, written with the transition). A hold the ledger refuses is a
 * LedgerRefusal (permanent: nothing was held); any other failure is thrown as it is (transient: the
 * processor retries, and the ids make the retry a replay).
 *   hold:    customer → rail clearing (pending), and the fee customer → fees (pending), linked
 *   post:    both posted;  void: both voided
 *   reverse: rail clearing → customer (a return of a payment out)
 */
export async function performMoneyEffects(deps: EffectDeps, row: PaymentOrderRow, effects: readonly PaymentOrderEffect[]): Promise<void> {
  const ids = orderLedgerIds(row.id);
  const clearing = clearingAccountId(row.rail, row.currency);
  const hasFee = row.feeAmount > 0n;
  for (const effect of effects) {
    switch (effect.type) {
      case 'PLACE_HOLD': {
        const transfers: NewTransfer[] = [
          { id: ids.hold, debitAccountId: row.ledgerAccountId, creditAccountId: clearing, amount: row.amount, currency: row.currency, code: PAYMENTS_TRANSFER_CODES.PAYMENT_OUT, pending: true, metadata: metadata(row) },
        ];
        if (hasFee) transfers.push({ id: ids.feeHold, debitAccountId: row.ledgerAccountId, creditAccountId: feesAccountId(row.currency), amount: row.feeAmount, currency: row.currency, code: PAYMENTS_TRANSFER_CODES.FEE, pending: true, metadata: metadata(row) });
        const results = await deps.ledger.createTransfers(transfers, true);
        const refused = results.find((r) => !written(r));
        if (refused) throw new LedgerRefusal(refused.error && refused.error !== 'LINKED_TRANSFER_FAILED' ? refused.error : (results.find((r) => r.error && r.error !== 'LINKED_TRANSFER_FAILED')?.error ?? 'LEDGER_REFUSED'));
        break;
      }
      case 'POST_HOLD': {
        const posts = [{ id: ids.post, pendingId: ids.hold }, ...(hasFee ? [{ id: ids.feePost, pendingId: ids.feeHold }] : [])];
        const results = await deps.ledger.postPending(posts);
        const failed = results.find((r) => !written(r));
        if (failed) throw new Error(`the ledger refused to post order ${row.id}'s hold: ${failed.error}`);
        break;
      }
      case 'VOID_HOLD': {
        const voids = [{ id: ids.void, pendingId: ids.hold }, ...(hasFee ? [{ id: ids.feeVoid, pendingId: ids.feeHold }] : [])];
        const results = await deps.ledger.voidPending(voids);
        const failed = results.find((r) => !written(r) && r.error !== 'PENDING_TRANSFER_ALREADY_VOIDED');
        if (failed) throw new Error(`the ledger refused to void order ${row.id}'s hold: ${failed.error}`);
        break;
      }
      case 'REVERSE': {
        const [r] = await deps.ledger.createTransfers([
          { id: ids.reverse(effect.returnId), debitAccountId: clearing, creditAccountId: row.ledgerAccountId, amount: effect.amount, currency: row.currency, code: PAYMENTS_TRANSFER_CODES.PAYMENT_RETURN, metadata: { ...metadata(row), returnId: effect.returnId } },
        ]);
        if (!written(r)) throw new Error(`the ledger refused order ${row.id}'s return: ${r?.error}`);
        break;
      }
      case 'PUBLISH':
        break;
    }
  }
}

/** Credits an incoming payment: rail clearing → the receiver (one transfer, id derived from the order). */
export async function creditIncoming(deps: EffectDeps, order: { id: string; rail: string; currency: string; amount: bigint; ledgerAccountId: string; endToEndId: string }): Promise<void> {
  const [r] = await deps.ledger.createTransfers([
    {
      id: orderLedgerIds(order.id).credit,
      debitAccountId: clearingAccountId(order.rail, order.currency),
      creditAccountId: order.ledgerAccountId,
      amount: order.amount,
      currency: order.currency,
      code: PAYMENTS_TRANSFER_CODES.PAYMENT_IN,
      metadata: { paymentOrderId: order.id, rail: order.rail, endToEndId: order.endToEndId },
    },
  ]);
  if (!written(r)) throw new LedgerRefusal(r?.error ?? 'LEDGER_REFUSED');
}

const RAILS = ['PIX', 'TED', 'BOLETO', 'WIRE', 'BOOK'] as const;

/**
 * Opens the rails' clearing accounts and the fee account of a currency in the ledger, once per
 * process and currency (idempotent: derived ids, so a repeat or another process replays). No tenant:
 * platform accounts, without balance rules (a clearing account goes either way).
 */
export function railAccounts(ledger: Pick<LedgerClient, 'createAccounts'>): (currency: string) => Promise<void> {
  const ready = new Map<string, Promise<void>>();
  return (currency) => {
    const key = currency.toUpperCase();
    let p = ready.get(key);
    if (!p) {
      p = (async () => {
        const results = await ledger.createAccounts([
          ...RAILS.map((rail) => ({ id: clearingAccountId(rail, key), tenantId: null, customerId: null, currency: key, code: PAYMENTS_LEDGER_CODES.RAIL_CLEARING, flags: [] })),
          { id: feesAccountId(key), tenantId: null, customerId: null, currency: key, code: PAYMENTS_LEDGER_CODES.FEES, flags: [] },
        ]);
        const failed = results.find((r) => r.status === 'FAILED');
        if (failed) throw new Error(`the ledger refused payments' platform account ${failed.id}: ${failed.error}`);
      })();
      p.catch(() => ready.delete(key));
      ready.set(key, p);
    }
    return p;
  };
}
