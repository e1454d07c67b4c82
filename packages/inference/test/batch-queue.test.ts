import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBatchQueue, isInferenceError } from '../src/index';

// A runBatch that records each batch's size and answers every input doubled, after a macrotask (like onnxruntime).
function recordingRunner() {
  const batches: number[][] = [];
  return {
    batches,
    runBatch: async (inputs: number[]) => {
      batches.push([...inputs]);
      await new Promise((resolve) => setImmediate(resolve));
      return inputs.map((x) => x * 2);
    },
  };
}

describe('createBatchQueue', () => {
  it('stacks the calls of one tick into one run and answers each caller with its own result', async () => {
    const r = recordingRunner();
    const q = createBatchQueue({ runBatch: r.runBatch, maxBatchSize: 64, windowMs: 0, maxQueue: 1000 });
    const inputs = Array.from({ length: 50 }, (_, i) => i);
    const outputs = await Promise.all(inputs.map((x) => q.push(x)));
    assert.deepEqual(outputs, inputs.map((x) => x * 2));
    assert.equal(r.batches.length, 1);
    assert.deepEqual(r.batches[0], inputs);
  });

  it('never runs more than maxBatchSize inputs, and calls arriving during a run join the next one', async () => {
    const r = recordingRunner();
    const q = createBatchQueue({ runBatch: r.runBatch, maxBatchSize: 16, windowMs: 5, maxQueue: 1000 });
    const outputs = await Promise.all(Array.from({ length: 50 }, (_, i) => q.push(i)));
    assert.deepEqual(outputs, Array.from({ length: 50 }, (_, i) => i * 2));
    assert.deepEqual(r.batches.map((b) => b.length), [16, 16, 16, 2]);
    assert.deepEqual(r.batches.flat(), Array.from({ length: 50 }, (_, i) => i));
  });

  it('gives every caller of a failed run that run’s error, and the next run still happens', async () => {
    let calls = 0;
    const q = createBatchQueue<number, number>({
      runBatch: async (inputs) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return inputs;
      },
      maxBatchSize: 8,
      windowMs: 0,
      maxQueue: 100,
    });
    const first = await Promise.allSettled([q.push(1), q.push(2)]);
    assert.deepEqual(first.map((s) => s.status), ['rejected', 'rejected']);
    assert.equal(await q.push(3), 3);
  });

  it('refuses a run that answers the wrong number of results', async () => {
    const q = createBatchQueue<number, number>({ runBatch: async () => [1], maxBatchSize: 8, windowMs: 0, maxQueue: 100 });
    const settled = await Promise.allSettled([q.push(1), q.push(2)]);
    for (const s of settled) assert.ok(s.status === 'rejected' && isInferenceError(s.reason, 'INFERENCE_FAILED'));
  });

  it('fails fast with INFERENCE_OVERLOADED past maxQueue waiting inputs', async () => {
    const r = recordingRunner();
    const q = createBatchQueue({ runBatch: r.runBatch, maxBatchSize: 2, windowMs: 0, maxQueue: 3 });
    const pushes = Array.from({ length: 8 }, (_, i) => q.push(i));
    const settled = await Promise.allSettled(pushes);
    const rejected = settled.filter((s) => s.status === 'rejected');
    assert.ok(rejected.length > 0);
    for (const s of rejected) assert.ok(isInferenceError(s.reason, 'INFERENCE_OVERLOADED'));
    // Whatever was accepted was answered.
    settled.forEach((s, i) => s.status === 'fulfilled' && assert.equal(s.value, i * 2));
  });

  it('close() fails the waiting calls with MODEL_CLOSED and refuses new ones', async () => {
    const r = recordingRunner();
    const q = createBatchQueue({ runBatch: r.runBatch, maxBatchSize: 4, windowMs: 1000, maxQueue: 100 });
    const waiting = q.push(1);
    await q.close();
    await assert.rejects(waiting, (err) => isInferenceError(err, 'MODEL_CLOSED'));
    await assert.rejects(q.push(2), (err) => isInferenceError(err, 'MODEL_CLOSED'));
    assert.equal(r.batches.length, 0);
  });
});
