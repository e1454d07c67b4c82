import { derivedUuid } from '@baas/server';
import { completedAfterAll, done, refused, type SagaDefinition } from '@baas/saga';
import { TRANSFER_CODES } from '../clients/ledger/client';
import type { SagaRow } from '../store/saga-store';
import { limitsStep, riskStep } from './outflow-steps';
import { noteWrite, type AccountsSagaDeps } from './saga-deps';

/** How long a transfer's hold lives in the ledger before it expires by itself. */
export const HOLD_TIMEOUT_SECONDS = 300;

/** The ledger ids of a saga's writes: deterministic, so every step is safe to repeat (the ledger answers REPLAYED). */
export const ledgerIds = (sagaId: string) => ({
  hold: derivedUuid(`${sagaId}:hold`),
  post: derivedUuid(`${sagaId}:post`),
  void: derivedUuid(`${sagaId}:void`),
  funding: derivedUuid(`${sagaId}:funding`),
});

const written = (status: string | undefined) => status === 'CREATED' || status === 'REPLAYED';
const HOLD_GONE = ['PENDING_TRANSFER_EXPIRED', 'PENDING_TRANSFER_ALREADY_EXPIRED', 'PENDING_TRANSFER_ALREADY_VOIDED'];

/**
 * A transfer between two accounts: HOLD (a pending ledger transfer: it counts against the available
 * balance at once), LIMITS (reserved under the hold), RISK, POST. A refusal releases what ran, last
 * first: the reservation, then the hold (VOID), and the saga ends VOIDED with the code; a refused
 * hold ends it FAILED (nothing held). Resumed after a crash at its persisted step.
 */
export function transferSaga(deps: AccountsSagaDeps): SagaDefinition<SagaRow> {
  return {
    kind: 'TRANSFER',
    steps: [
      {
        name: 'HOLD',
        async run(saga) {
          const ids = ledgerIds(saga.id);
          const [r] = await deps.ledger.createTransfers([
            {
              id: ids.hold,
              debitAccountId: saga.fromAccountId!,
              creditAccountId: saga.toAccountId,
              amount: saga.amount,
              currency: saga.currency,
              code: TRANSFER_CODES.TRANSFER,
              pending: true,
              timeoutSeconds: HOLD_TIMEOUT_SECONDS,
              metadata: { sagaId: saga.id, ...(saga.description ? { description: saga.description } : {}) },
            },
          ]);
          if (!written(r?.status)) return refused(r?.error ?? 'LEDGER_REFUSED'); // the ledger stores nothing it refuses
          noteWrite(deps, [saga.fromAccountId, saga.toAccountId], r?.journalSeq);
          return done();
        },
        async compensate(saga) {
          const ids = ledgerIds(saga.id);
          const [r] = await deps.ledger.voidPending([{ id: ids.void, pendingId: ids.hold }]);
          // An earlier attempt posted it (and was cut off before recording it): the money moved.
          if (r?.error === 'PENDING_TRANSFER_ALREADY_POSTED') return completedAfterAll();
          if (!written(r?.status) && !HOLD_GONE.includes(r?.error ?? '')) {
            // Repeating gets the same answer; the ledger expires the hold by itself within HOLD_TIMEOUT_SECONDS.
            deps.logger.error({ sagaId: saga.id, error: r?.error }, 'the ledger refused to void a hold; it expires by itself');
            return refused(r?.error ?? 'VOID_REFUSED');
          }
          noteWrite(deps, [saga.fromAccountId, saga.toAccountId], r?.journalSeq);
          return done();
        },
      },
      limitsStep(deps),
      riskStep(deps),
      {
        name: 'POST',
        async run(saga) {
          const ids = ledgerIds(saga.id);
          const [r] = await deps.ledger.postPending([{ id: ids.post, pendingId: ids.hold }]);
          if (written(r?.status)) {
            noteWrite(deps, [saga.fromAccountId, saga.toAccountId], r?.journalSeq);
            return done();
          }
          // The hold is gone already (its compensation finds nothing to void).
          if (HOLD_GONE.includes(r?.error ?? '')) return refused('HOLD_EXPIRED');
          return refused(r?.error ?? 'POST_FAILED');
        },
      },
    ],
  };
}
