import { InferenceError } from './inference-error';

export type BatchQueueOptions<In, Out> = {
  /** Runs one batch; must give exactly one result per input, in order. */
  runBatch(inputs: In[]): Promise<Out[]>;
  maxBatchSize: number;
  /** How long the first waiting call holds the batch open; 0 batches the calls of one tick. */
  windowMs: number;
  /** Most inputs waiting (not yet running); past it push() rejects with INFERENCE_OVERLOADED. */
  maxQueue: number;
};

export type BatchQueue<In, Out> = {
  push(input: In): Promise<Out>;
  /** Rejects everything waiting with MODEL_CLOSED and waits for the run in flight. */
  close(): Promise<void>;
  readonly waiting: number;
};

type Waiter<In, Out> = { input: In; resolve(out: Out): void; reject(err: unknown): void };

/**
 * Stacks concurrent calls into batches: one run at a time; calls that arrive while it is in flight,
 * or within `windowMs` of the first waiting call, join the next run (up to `maxBatchSize`). A full
 * batch starts at once. Each caller gets its own result, or the batch's error.
 */
export function createBatchQueue<In, Out>(opts: BatchQueueOptions<In, Out>): BatchQueue<In, Out> {
  const queue: Waiter<In, Out>[] = [];
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let closed = false;

  const clearTimer = () => {
    if (timer === undefined) return;
    if (opts.windowMs > 0) clearTimeout(timer as NodeJS.Timeout);
    else clearImmediate(timer as NodeJS.Immediate);
    timer = undefined;
  };

  const schedule = () => {
    if (inFlight || timer !== undefined || queue.length === 0) return;
    if (queue.length >= opts.maxBatchSize) return start();
    const fire = () => {
      timer = undefined;
      start();
    };
    timer = opts.windowMs > 0 ? setTimeout(fire, opts.windowMs) : setImmediate(fire);
  };

  const start = () => {
    clearTimer();
    if (inFlight || queue.length === 0) return;
    const batch = queue.splice(0, opts.maxBatchSize);
    inFlight = runOne(batch).finally(() => {
      inFlight = undefined;
      // Calls that arrived during the run go next, without waiting for another window.
      if (queue.length > 0) start();
    });
  };

  const runOne = async (batch: Waiter<In, Out>[]) => {
    try {
      const outputs = await opts.runBatch(batch.map((w) => w.input));
      if (outputs.length !== batch.length) {
        throw new InferenceError('INFERENCE_FAILED', `The run gave ${outputs.length} results for ${batch.length} inputs.`);
      }
      batch.forEach((w, i) => w.resolve(outputs[i] as Out));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };

  return {
    push(input) {
      if (closed) return Promise.reject(new InferenceError('MODEL_CLOSED'));
      if (queue.length >= opts.maxQueue) {
        return Promise.reject(new InferenceError('INFERENCE_OVERLOADED', undefined, { details: { maxQueue: opts.maxQueue } }));
      }
      return new Promise<Out>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (queue.length >= opts.maxBatchSize && !inFlight) start();
        else schedule();
      });
    },
    async close() {
      closed = true;
      clearTimer();
      for (const w of queue.splice(0)) w.reject(new InferenceError('MODEL_CLOSED'));
      await inFlight;
    },
    get waiting() {
      return queue.length;
    },
  };
}
