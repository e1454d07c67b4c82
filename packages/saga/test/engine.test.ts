import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@baas/errors';
import { completedAfterAll, createFailureClassifier, createSagaEngine, done, refused, retryDelayMs, type SagaDefinition, type SagaStep } from '../src/index';
import { memoryStore, silent, type Rec } from './memory-store';

/** A step that records its run and its compensation in `effects` (the outside world). */
function step(name: string, effects: string[], opts: { run?: () => Promise<unknown>; compensate?: boolean | (() => Promise<unknown>); checkpoint?: boolean } = {}): SagaStep<Rec> {
  return {
    name,
    ...(opts.checkpoint === false ? { checkpoint: false } : {}),
    async run() {
      const answer = await opts.run?.();
      effects.push(name);
      return (answer as never) ?? done();
    },
    ...(opts.compensate
      ? {
          async compensate() {
            if (typeof opts.compensate === 'function') {
              const answer = await opts.compensate();
              if (answer) return answer as never;
            }
            effects.push(`undo ${name}`);
            return done();
          },
        }
      : {}),
  };
}

const transient = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function setup(steps: (effects: string[]) => SagaStep<Rec>[], extra: Partial<SagaDefinition<Rec>> = {}) {
  const effects: string[] = [];
  const store = memoryStore();
  const def: SagaDefinition<Rec> = { kind: 'K', steps: steps(effects), ...extra };
  const engine = createSagaEngine({ store, definitions: [def], leaseMs: 10_000, logger: silent, retry: { baseMs: 1, maxMs: 4 } });
  store.insert('s1', 'K');
  return { effects, store, engine };
}

describe('saga engine (pure)', () => {
  it('runs the steps in order and ends SUCCEEDED, one write per checkpointed step', async () => {
    const { effects, store, engine } = setup((e) => [step('A', e), step('B', e, { checkpoint: false }), step('C', e)]);
    const saga = await engine.drive('s1');
    assert.deepEqual(effects, ['A', 'B', 'C']);
    assert.equal(saga?.status, 'SUCCEEDED');
    assert.equal(saga?.step, 'C');
    assert.equal(store.writes, 2, 'A checkpointed, B not, C with the final status');
    assert.equal(store.rows.get('s1')!.leaseUntil, null, 'a final saga holds no lease');
  });

  it('a refusal compensates what ran, last first, and ends COMPENSATED with the code', async () => {
    const { effects, engine } = setup((e) => [step('A', e, { compensate: true }), step('B', e, { compensate: true }), step('C', e, { run: async () => refused('INSUFFICIENT_FUNDS') })]);
    const saga = await engine.drive('s1');
    assert.deepEqual(effects, ['A', 'B', 'C', 'undo B', 'undo A']);
    assert.equal(saga?.status, 'COMPENSATED');
    assert.equal(saga?.failureCode, 'INSUFFICIENT_FUNDS');
  });

  it('a refusal with nothing to undo ends FAILED at the failing step; onFailed runs once', async () => {
    let failedHook = 0;
    const { engine } = setup((e) => [step('A', e), step('B', e, { run: async () => refused('LIMIT_EXCEEDED') })], { onFailed: async () => void failedHook++ });
    const saga = await engine.drive('s1');
    assert.equal(saga?.status, 'FAILED');
    assert.equal(saga?.step, 'B');
    assert.equal(saga?.failureCode, 'LIMIT_EXCEEDED');
    assert.equal(failedHook, 1);
  });

  it('a permanent error (a DomainError, a bug) is a refusal with its code; a transient one leaves the saga where it is, released with back-off', async () => {
    const bug = setup((e) => [step('A', e, { compensate: true }), step('B', e, { run: async () => Promise.reject(new TypeError('a bug')) })]);
    assert.deepEqual([(await bug.engine.drive('s1'))?.status, (await bug.store.find('s1'))?.failureCode], ['COMPENSATED', 'INTERNAL_ERROR']);
    const domain = setup((e) => [step('A', e, { run: async () => Promise.reject(new DomainError('FORBIDDEN')) })]);
    assert.equal((await domain.engine.drive('s1'))?.failureCode, 'FORBIDDEN');

    let down = true;
    const t = setup((e) => [step('A', e), step('B', e, { run: async () => (down ? Promise.reject(transient()) : undefined) })]);
    const left = await t.engine.drive('s1');
    assert.deepEqual([left?.status, left?.step, left?.failureCode], ['RUNNING', 'A', null]);
    assert.ok(t.store.rows.get('s1')!.leaseUntil! > Date.now() - 1, 'not due before its back-off');
    await new Promise((r) => setTimeout(r, 10));
    down = false;
    assert.equal(await t.engine.recoverDue(10), 1);
    assert.equal((await t.store.find('s1'))?.status, 'SUCCEEDED');
    assert.deepEqual(t.effects, ['A', 'B'], 'A is not repeated: the saga resumed at its persisted step');
  });

  it('a compensation that finds the forward path went through ends SUCCEEDED; one refused for good is given up', async () => {
    const posted = setup((e) => [step('HOLD', e, { compensate: async () => completedAfterAll() }), step('POST', e, { run: async () => refused('POST_FAILED') })]);
    const saga = await posted.engine.drive('s1');
    assert.deepEqual([saga?.status, saga?.failureCode], ['SUCCEEDED', null]);
    const stuck = setup((e) => [step('A', e, { compensate: true }), step('HOLD', e, { compensate: async () => refused('VOID_REFUSED') }), step('POST', e, { run: async () => refused('X') })]);
    const ended = await stuck.engine.drive('s1');
    assert.deepEqual([ended?.status, ended?.failureCode], ['COMPENSATED', 'X']);
    assert.deepEqual(stuck.effects, ['A', 'HOLD', 'POST', 'undo A']);
  });

  it('fencing: a worker whose lease was taken over writes nothing, and the new holder finishes the saga', async () => {
    const effects: string[] = [];
    const store = memoryStore();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let first = true;
    const def: SagaDefinition<Rec> = {
      kind: 'K',
      steps: [
        step('A', effects, {
          run: async () => {
            if (first) {
              first = false;
              await gate;
            }
          },
        }),
        step('B', effects),
      ],
    };
    const slow = createSagaEngine({ store, definitions: [def], leaseMs: 1, logger: silent });
    const fast = createSagaEngine({ store, definitions: [def], leaseMs: 10_000, logger: silent });
    store.insert('s1', 'K');
    const stalled = slow.drive('s1');
    await new Promise((r) => setTimeout(r, 5)); // the slow worker's lease runs out while its step hangs
    const finished = await fast.drive('s1');
    assert.equal(finished?.status, 'SUCCEEDED');
    release();
    const late = await stalled;
    assert.equal(late?.status, 'SUCCEEDED', 'the stale worker answers the saga as stored');
    assert.equal(store.rows.get('s1')!.fence, 2);
    assert.equal(store.writes, 2, 'only the holder of the current fence wrote');
  });

  it('a saga another worker holds is not driven; a stopping process abandons between steps', async () => {
    const { store, engine, effects } = setup((e) => [step('A', e), step('B', e)]);
    await store.claim('s1', 10_000);
    assert.equal((await engine.drive('s1'))?.status, 'RUNNING');
    assert.deepEqual(effects, []);
    let running = true;
    const e2: string[] = [];
    const s2 = memoryStore();
    s2.insert('s2', 'K');
    const eng = createSagaEngine({ store: s2, definitions: [{ kind: 'K', steps: [step('A', e2, { run: async () => void (running = false) }), step('B', e2)] }], leaseMs: 10_000, logger: silent, isRunning: () => running });
    const left = await eng.drive('s2');
    assert.deepEqual([left?.status, left?.step, e2], ['RUNNING', 'A', ['A']]);
  });

  it('stops (and leaves the saga for a later retry) when the store does not read back what it wrote', async () => {
    const { store, engine, effects } = setup((e) => [step('A', e, { compensate: true }), step('B', e, { compensate: true }), step('C', e, { run: async () => refused('X') })]);
    const save = store.save.bind(store);
    // A broken row mapper: compensating, it always reads back step B (B's undo is never recorded).
    store.save = async (saga, change, leaseMs) => {
      const written = await save(saga, change, leaseMs);
      return written && written.status === 'COMPENSATING' ? { ...written, step: 'B' } : written;
    };
    const left = await engine.drive('s1');
    assert.equal(left?.status, 'COMPENSATING');
    assert.ok(effects.filter((x) => x === 'undo B').length > 1, 'it looped for a while');
    assert.notEqual(store.rows.get('s1')!.leaseUntil, null, 'released with a next attempt time, not spinning');
  });

  it('wakes a waiter when the saga ends in this process', async () => {
    const { engine, store } = setup((e) => [step('A', e)]);
    const saga = (await store.find('s1'))!;
    const waiting = engine.waiter.wait(saga, 5_000, (id) => store.find(id));
    await engine.drive('s1');
    assert.equal((await waiting).status, 'SUCCEEDED');
  });

  it('classifies failures: configurable rules first, then infrastructure by code, SQLSTATE and message', () => {
    const classify = createFailureClassifier({ transient: (e) => ((e as Error).message === 'mine' ? false : undefined), failureCode: (e) => ((e as Error).message === 'mine' ? 'MINE' : undefined) });
    assert.equal(classify.isTransient(Object.assign(new Error('x'), { code: '40001' })), true);
    assert.equal(classify.isTransient(Object.assign(new Error('x'), { code: '57P01' })), true);
    assert.equal(classify.isTransient(new Error('wrapped', { cause: transient() })), true);
    assert.equal(classify.isTransient(new DomainError('SUBGRAPH_UNAVAILABLE')), true);
    assert.equal(classify.isTransient(Object.assign(new Error('duplicate key'), { code: '23505' })), false);
    assert.equal(classify.isTransient(new Error('mine')), false);
    assert.equal(classify.failureCode(new Error('mine')), 'MINE');
    assert.equal(classify.failureCode(new TypeError('bug')), 'INTERNAL_ERROR');
  });

  it('backs off exponentially, capped', () => {
    assert.deepEqual([1, 2, 3, 4, 10, 100].map((n) => retryDelayMs(n, { baseMs: 500, maxMs: 4_000 })), [500, 1000, 2000, 4000, 4000, 4000]);
  });
});
