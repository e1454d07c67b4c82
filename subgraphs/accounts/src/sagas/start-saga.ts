import type { Identity } from '@baas/auth';
import { createOrReplay } from '@baas/idempotency';
import { isFinalStatus, type SagaEngine } from '@baas/saga';
import { sagaKeyInScope, sagaKeyOutOfScope } from '../permissions';
import type { AccountsSagaStore, NewSaga, SagaRow } from '../store/saga-store';

export type StartSagaDeps = {
  sagas: Pick<AccountsSagaStore, 'find' | 'insert'>;
  engine: SagaEngine<SagaRow>;
  /** The lease a new saga is created with (the engine's leaseMs). */
  leaseMs: number;
};

/**
 * Creates a saga (leased by this request) or finds the one stored under its id (@baas/idempotency:
 * the same request replays it, another one is IDEMPOTENCY_KEY_REUSED; an id of another tenant or
 * customer is FORBIDDEN), then drives it when unfinished (a repeat continues it when nobody holds
 * it) and waits up to `waitMs` for its outcome. A saga refused before anything moved (`failed`) is
 * stored FAILED at once, so repeats agree.
 */
export async function startSaga(deps: StartSagaDeps, who: Identity, saga: NewSaga & { legacyHash: string }, waitMs = 0): Promise<SagaRow> {
  const { legacyHash, ...row } = saga;
  const { row: stored, status } = await createOrReplay<SagaRow>({
    hash: saga.requestHash,
    // The hash rows written before @baas/idempotency carry for this request (they replay too).
    acceptedHashes: [legacyHash],
    storedHash: (r) => r.requestHash,
    scope: (r) => sagaKeyInScope(who, r, saga.tenantId),
    outOfScope: () => sagaKeyOutOfScope(who),
    // New ids are the rule on this path.
    insertFirst: true,
    find: () => deps.sagas.find(saga.id),
    insert: () => deps.sagas.insert(row, deps.leaseMs),
  });
  if (isFinalStatus(stored.status)) return stored;
  const driven = (await deps.engine.drive(saga.id, status === 'CREATED' ? stored : null)) ?? stored;
  return deps.engine.waiter.wait(driven, waitMs, (id) => deps.sagas.find(id));
}
