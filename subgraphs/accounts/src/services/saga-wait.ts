import { EventEmitter } from 'node:events';
import { badInput } from '@baas/errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { TransferSagaRow } from './types';

/** The longest a mutation may wait for its saga's outcome (`waitMs`). */
export const MAX_WAIT_MS = 10_000;
/** The fallback poll: first delay, doubling up to the cap (a saga finished by another instance is seen this late at worst). */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;

const FINAL = new Set(['POSTED', 'VOIDED', 'FAILED']);
export const isFinalState = (state: string) => FINAL.has(state);

/**
 * In-process notifications of sagas reaching a final state: a waiting request wakes as soon as this
 * process writes the outcome; an outcome written by another instance is seen by the bounded poll.
 */
const finished = new EventEmitter();
finished.setMaxListeners(0);

/** Called after a saga's final state is written (persist, FX outcome, permanent failure). */
export function notifySagaFinished(id: string): void {
  finished.emit(id);
}

/** The `waitMs` argument: absent is 0 (no wait); 0..MAX_WAIT_MS, else BAD_USER_INPUT. */
export function waitArg(value: number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_WAIT_MS) throw badInput(`waitMs must be between 0 and ${MAX_WAIT_MS}.`, { field: 'waitMs', limit: MAX_WAIT_MS });
  return value;
}

/**
 * Waits at most `waitMs` for the saga to reach POSTED, VOIDED or FAILED and returns it as it is
 * then (final, or where it stands at the deadline). Woken by notifySagaFinished in this process;
 * otherwise re-reads the row with a back-off poll (50 ms doubling to 1 s), never a tight loop.
 */
export async function waitForOutcome(db: PrismaClient, saga: TransferSagaRow, waitMs: number): Promise<TransferSagaRow> {
  let current = saga;
  if (waitMs <= 0 || isFinalState(current.state)) return current;
  const deadline = Date.now() + waitMs;
  let delay = FIRST_POLL_MS;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return current;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        finished.off(current.id, wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(delay, remaining));
      finished.once(current.id, wake);
    });
    delay = Math.min(delay * 2, MAX_POLL_MS);
    current = (await db.transferSaga.findUnique({ where: { id: current.id } })) ?? current;
    if (isFinalState(current.state)) return current;
  }
}
