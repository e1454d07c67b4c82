import { derivedUuid } from '@baas/server';
import { done, refused, type SagaDefinition } from '@baas/saga';
import { LEDGER_CODES, LedgerRefusedError, TRANSFER_CODES } from '../clients/ledger/client';
import type { SagaRow } from '../store/saga-store';
import { ledgerIds } from './transfer-saga';
import { noteWrite, type AccountsSagaDeps } from './saga-deps';

/** The tenant's sandbox funding ledger account for a currency (a derived id: the same on every retry). */
export const sandboxFundingAccountId = (tenantId: string, currency: string) => derivedUuid(`sandbox-funding:${tenantId}:${currency}`);

/**
 * Sandbox funding: one step, POST, a posted transfer of play money from the tenant's sandbox funding
 * account (created idempotently first). A ledger refusal ends it FAILED with the code; the funding
 * account's id taken by another account (LedgerRefusedError) is permanent too.
 */
export function fundingSaga(deps: AccountsSagaDeps): SagaDefinition<SagaRow> {
  const known = new Set<string>();
  async function ensureFundingAccount(tenantId: string, currency: string): Promise<string> {
    const id = sandboxFundingAccountId(tenantId, currency);
    if (known.has(id)) return id;
    const [r] = await deps.ledger.createAccounts([{ id, tenantId, customerId: null, currency, code: LEDGER_CODES.SANDBOX_FUNDING, flags: [] }]);
    if (r?.status === 'FAILED') throw new LedgerRefusedError(id, r.error ?? 'LEDGER_REFUSED');
    known.add(id);
    return id;
  }
  return {
    kind: 'FUNDING',
    steps: [
      {
        name: 'POST',
        async run(saga) {
          const source = await ensureFundingAccount(saga.tenantId, saga.currency);
          const [r] = await deps.ledger.createTransfers([
            {
              id: ledgerIds(saga.id).funding,
              debitAccountId: source,
              creditAccountId: saga.toAccountId,
              amount: saga.amount,
              currency: saga.currency,
              code: TRANSFER_CODES.SANDBOX_FUNDING,
              metadata: { sagaId: saga.id, description: saga.description ?? 'Sandbox funding' },
            },
          ]);
          if (r?.status !== 'CREATED' && r?.status !== 'REPLAYED') return refused(r?.error ?? 'LEDGER_REFUSED');
          noteWrite(deps, [source, saga.toAccountId], r.journalSeq);
          return done();
        },
      },
    ],
  };
}
