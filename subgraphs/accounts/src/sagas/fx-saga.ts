import { derivedUuid } from '@baas/server';
import { done, refused, type SagaDefinition } from '@baas/saga';
import { LEDGER_CODES, LedgerRefusedError, TRANSFER_CODES, type NewTransfer } from '../clients/ledger/client';
import type { SagaRow } from '../store/saga-store';
import { limitsStep, riskStep } from './outflow-steps';
import { noteWrite, type AccountsSagaDeps } from './saga-deps';

/**
 * The platform's FX liquidity ledger account for a currency: id derived from 'fx-liquidity:' + currency, no
 * tenant, code FX_LIQUIDITY and no balance flags, so it may go negative. It only books the platform's side of
 * customer conversions; real liquidity (the nostro balances that back it) is funded and reconciled by treasury
 * outside this subgraph.
 */
export const fxLiquidityAccountId = (currency: string) => derivedUuid(`fx-liquidity:${currency.toUpperCase()}`);

/** Ledger transfer ids of an FX saga (same on every retry, so re-submitting the batch only replays it). */
export const fxTransferIds = (sagaId: string) => ({ sell: derivedUuid(`fx-saga:${sagaId}:sell`), buy: derivedUuid(`fx-saga:${sagaId}:buy`) });

/** Creates the FX liquidity accounts of these currencies (idempotent: the same request replays). */
export async function ensureFxLiquidityAccounts(ledger: AccountsSagaDeps['ledger'], currencies: string[]): Promise<void> {
  const unique = [...new Set(currencies.map((c) => c.toUpperCase()))];
  const results = await ledger.createAccounts(unique.map((currency) => ({ id: fxLiquidityAccountId(currency), tenantId: null, customerId: null, currency, code: LEDGER_CODES.FX_LIQUIDITY, flags: [] })));
  const failed = results.find((r) => r.status === 'FAILED');
  // Permanent (its id is taken by an account with other attributes): the saga ends FAILED.
  if (failed) throw new LedgerRefusedError(failed.id, failed.error ?? 'LEDGER_REFUSED');
}

/**
 * An FX execution (its quote claimed with the saga's creation): LIMITS (the sell amount reserved),
 * RISK, then POST: the two legs to the ledger as ONE linked batch (both or neither):
 *   customer from-account → FX liquidity (sell currency), sell amount, code FX_SELL
 *   FX liquidity (buy currency) → customer to-account, buy amount, code FX_BUY
 * A refusal (LIMIT_EXCEEDED, RISK_DECLINED, INSUFFICIENT_FUNDS or any refusal of the batch) gives
 * the reservation back and ends the saga FAILED with the code, releasing the quote so it can be
 * executed again (under another id) before it expires.
 */
export function fxSaga(deps: AccountsSagaDeps): SagaDefinition<SagaRow> {
  return {
    kind: 'FX',
    async onFailed(saga) {
      if (saga.quoteId) await deps.quotes.release(saga.quoteId, saga.id);
    },
    steps: [
      limitsStep(deps),
      riskStep(deps),
      {
        name: 'POST',
        async run(saga) {
          const quote = saga.quoteId ? await deps.quotes.findById(saga.quoteId) : null;
          if (!quote) throw new Error(`FX saga ${saga.id} has no quote`);
          const found = await deps.accounts.findByIds([quote.fromAccountId, quote.toAccountId]);
          const byId = new Map(found.map((a) => [a.id, a]));
          const from = await deps.accounts.ensureLedgerAccount(byId.get(quote.fromAccountId)!);
          const to = await deps.accounts.ensureLedgerAccount(byId.get(quote.toAccountId)!);
          await ensureFxLiquidityAccounts(deps.ledger, [quote.sellCurrency, quote.buyCurrency]);
          const ids = fxTransferIds(saga.id);
          const metadata = { sagaId: saga.id, quoteId: quote.id, rate: quote.rate, kind: 'FX', description: saga.description ?? `FX ${quote.sellCurrency}→${quote.buyCurrency}` };
          const legs: NewTransfer[] = [
            { id: ids.sell, debitAccountId: from.ledgerAccountId!, creditAccountId: fxLiquidityAccountId(quote.sellCurrency), amount: quote.sellAmount, currency: quote.sellCurrency, code: TRANSFER_CODES.FX_SELL, metadata },
            { id: ids.buy, debitAccountId: fxLiquidityAccountId(quote.buyCurrency), creditAccountId: to.ledgerAccountId!, amount: quote.buyAmount, currency: quote.buyCurrency, code: TRANSFER_CODES.FX_BUY, metadata },
          ];
          const results = await deps.ledger.createTransfers(legs, true);
          const failed = results.filter((r) => r.status === 'FAILED');
          if (failed.length === 0) {
            const seq = results.reduce<bigint | null>((max, r) => (r.journalSeq !== null && (max === null || r.journalSeq > max) ? r.journalSeq : max), null);
            noteWrite(deps, [from.ledgerAccountId, to.ledgerAccountId], seq);
            return done();
          }
          const code = failed.find((r) => r.error && r.error !== 'LINKED_TRANSFER_FAILED')?.error ?? failed[0]!.error ?? 'LEDGER_REFUSED';
          if (code !== 'INSUFFICIENT_FUNDS') deps.logger.warn({ sagaId: saga.id, failureCode: code }, 'fx batch refused by the ledger');
          return refused(code);
        },
      },
    ],
  };
}
