import { createFailureClassifier, retryDelayMs, type FailureClassifier } from './failures';
import { isFinalStatus, type SagaDefinition, type SagaRecord, type SagaStep, type SagaStore, type StepResult } from './types';
import { createSagaWaiter, type SagaWaiter } from './wait';

/** The log calls the engine makes (pino's shape). */
export type SagaLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export type SagaEngineOptions<R extends SagaRecord> = {
  store: SagaStore<R>;
  definitions: readonly SagaDefinition<R>[];
  /** How long a claim (and each step's write) holds the saga. */
  leaseMs: number;
  /** Transient vs permanent, and a permanent failure's code. Default: createFailureClassifier(). */
  failures?: FailureClassifier;
  /** Back-off of a transient failure: `baseMs` doubling per claim of the saga, capped at `maxMs`. Default 500 ms .. 30 s. */
  retry?: { baseMs: number; maxMs: number };
  /** A pause between steps (test hook: time to interrupt a saga mid-way); the lease is renewed after it. Default 0. */
  pauseBetweenStepsMs?: number;
  /** False once the process is stopping: a saga is abandoned between steps (as a crash would) and recovery finishes it. */
  isRunning?(): boolean;
  logger: SagaLogger;
  /** Wakes requests waiting for an outcome (default: a waiter of its own, `engine.waiter`). */
  waiter?: SagaWaiter;
};

export type SagaEngine<R extends SagaRecord> = {
  /**
   * Drives an unfinished saga from where it stands. `claimed`: a lease already held (a saga created
   * leased by the request that made it); without it the engine claims the saga, and answers the saga
   * as stored when another worker holds it. Returns the saga as it stands when the engine stops:
   * final, abandoned (stopping, lease lost) or waiting for a retry after a transient failure.
   */
  drive(id: string, claimed?: R | null): Promise<R | null>;
  /** One recovery pass: drives up to `limit` due sagas (expired lease, back-off past); returns how many it claimed. */
  recoverDue(limit: number): Promise<number>;
  readonly waiter: SagaWaiter;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The saga engine over a store port and the definitions of the kinds it drives. */
export function createSagaEngine<R extends SagaRecord>(opts: SagaEngineOptions<R>): SagaEngine<R> {
  const { store, leaseMs, logger } = opts;
  const failures = opts.failures ?? createFailureClassifier();
  const retry = opts.retry ?? { baseMs: 500, maxMs: 30_000 };
  const isRunning = opts.isRunning ?? (() => true);
  const waiter = opts.waiter ?? createSagaWaiter();
  const definitions = new Map(opts.definitions.map((d) => [d.kind, d]));

  /** Finishes with a final saga: wakes its waiters. */
  const finished = (saga: R): R => {
    waiter.notify(saga.id);
    return saga;
  };

  /** Runs a step or a compensation; a permanent error becomes a refusal with its code, a transient one is thrown. */
  async function attempt(saga: R, what: string, work: () => Promise<StepResult<R>>): Promise<StepResult<R>> {
    try {
      return await work();
    } catch (error) {
      if (failures.isTransient(error)) throw error;
      const code = failures.failureCode(error);
      logger.error({ err: error, sagaId: saga.id, step: what, failureCode: code }, 'saga step failed permanently');
      return { outcome: 'refused', code };
    }
  }

  /** A step failed for good at index `at`: compensate what ran, or end FAILED when nothing did. */
  async function fail(def: SagaDefinition<R>, saga: R, at: number, code: string): Promise<R | null> {
    if (isFinalStatus(saga.status)) {
      // The step wrote the failed outcome itself (atomically with its own effect).
      await def.onFailed?.(saga);
      return saga;
    }
    const ran = def.steps.slice(0, at);
    if (!ran.some((s) => s.compensate)) {
      await def.onFailed?.(saga);
      return store.save(saga, { status: 'FAILED', step: def.steps[at]?.name ?? saga.step, failureCode: code }, leaseMs);
    }
    return store.save(saga, { status: 'COMPENSATING', step: ran[ran.length - 1]!.name, failureCode: code }, leaseMs);
  }

  async function advance(def: SagaDefinition<R>, saga: R): Promise<R | null> {
    const at = saga.step === null ? 0 : def.steps.findIndex((s) => s.name === saga.step) + 1;
    const step: SagaStep<R> | undefined = def.steps[at];
    if (!step) return store.save(saga, { status: 'SUCCEEDED' }, leaseMs);
    const result = await attempt(saga, step.name, () => step.run(saga));
    switch (result.outcome) {
      case 'lost':
        return null;
      case 'refused':
        return fail(def, result.saga ?? saga, at, result.code);
      default: {
        const written = result.outcome === 'done' && result.saga ? result.saga : null;
        if (at === def.steps.length - 1) return store.save(written ?? saga, { status: 'SUCCEEDED', step: step.name }, leaseMs);
        if (written) return written;
        if (step.checkpoint === false) return { ...saga, step: step.name };
        return store.save(saga, { step: step.name }, leaseMs);
      }
    }
  }

  /** Undoes the latest step done that has a compensation; the saga ends COMPENSATED once none is left. */
  async function compensate(def: SagaDefinition<R>, saga: R): Promise<R | null> {
    let at = saga.step === null ? -1 : def.steps.findIndex((s) => s.name === saga.step);
    while (at >= 0 && !def.steps[at]!.compensate) at--;
    const end = async (current: R) => {
      await def.onFailed?.(current);
      return store.save(current, { status: 'COMPENSATED' }, leaseMs);
    };
    if (at < 0) return end(saga);
    const step = def.steps[at]!;
    const result = await attempt(saga, `${step.name}:compensate`, () => step.compensate!(saga));
    if (result.outcome === 'lost') return null;
    if (result.outcome === 'completed') return store.save(saga, { status: 'SUCCEEDED', step: def.steps[def.steps.length - 1]!.name, failureCode: null }, leaseMs);
    // A compensation refused for good is given up (compensations are designed so that it is safe: a hold expires by itself).
    const current = result.outcome === 'refused' ? saga : (result.saga ?? saga);
    if (result.outcome === 'refused') logger.error({ sagaId: saga.id, step: step.name, failureCode: result.code }, 'saga compensation refused; given up');
    const below = def.steps.slice(0, at).some((s) => s.compensate);
    if (!below) return end(current);
    return store.save(current, { step: def.steps[at - 1]!.name }, leaseMs);
  }

  async function drive(id: string, claimed?: R | null): Promise<R | null> {
    const first = claimed ?? (await store.claim(id, leaseMs));
    if (!first) return store.find(id);
    let saga: R = first;
    if (isFinalStatus(saga.status)) return finished(saga);
    const def = definitions.get(saga.kind);
    if (!def) {
      logger.warn({ sagaId: id, kind: saga.kind }, 'no saga definition for this kind');
      await store.release(saga, new Date(Date.now() + retry.maxMs));
      return saga;
    }
    // Every iteration moves a step forward or back: more than this means a store that does not
    // read back what it wrote (a mapping bug); stop rather than spin.
    let budget = def.steps.length * 2 + 4;
    try {
      for (;;) {
        if (--budget < 0) {
          logger.error({ sagaId: id, status: saga.status, step: saga.step }, 'saga makes no progress; left for a later retry');
          await store.release(saga, new Date(Date.now() + retry.maxMs));
          return saga;
        }
        const next: R | null = saga.status === 'COMPENSATING' ? await compensate(def, saga) : await advance(def, saga);
        if (!next) return store.find(id); // the lease was lost: whoever holds it drives the saga
        const checkpointed = next.step !== saga.step && def.steps.find((s) => s.name === next.step)?.checkpoint !== false;
        saga = next;
        if (isFinalStatus(saga.status)) return finished(saga);
        if (!isRunning()) return saga;
        if (opts.pauseBetweenStepsMs && checkpointed) {
          await sleep(opts.pauseBetweenStepsMs);
          if (!isRunning()) return saga;
          const renewed = await store.renew(saga, leaseMs);
          if (!renewed) return store.find(id);
          saga = renewed;
        }
      }
    } catch (error) {
      // Transient: the saga stays where it is; the next attempt is after a back-off growing with its claims.
      const delay = retryDelayMs(saga.fence, retry);
      logger.warn({ err: error, sagaId: id, retryInMs: delay }, 'saga step failed on infrastructure; it will be retried');
      await store.release(saga, new Date(Date.now() + delay)).catch(() => undefined);
      return store.find(id).catch(() => saga);
    }
  }

  async function recoverDue(limit: number): Promise<number> {
    let claimed = 0;
    for (const id of await store.due(limit)) {
      if (!isRunning()) break;
      const saga = await store.claim(id, leaseMs);
      if (!saga) continue;
      claimed++;
      await drive(id, saga);
    }
    return claimed;
  }

  return { drive, recoverDue, waiter };
}
