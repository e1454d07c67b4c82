import { performance } from 'node:perf_hooks';
import type { Logger } from '@baas/observability';
import { Tensor, env as ortEnv, type InferenceSession } from 'onnxruntime-node';
import type { Registry } from 'prom-client';
import { createBatchQueue } from './batch-queue';
import { InferenceError } from './inference-error';
import type { InferenceEnv } from './inference-env';
import { createInferenceMetrics } from './inference-metrics';
import { inspectModelShape } from './model-shape';
import { nvidiaGpuPresent, openSession, type ExecutionProvider, type ProviderPreference } from './open-session';
import { readVerifiedModel, type ModelSpec } from './read-verified-model';

/** How any model's session is opened and observed (loadModel and openTensorModel alike). */
export type SessionOptions = {
  /** Default `auto` (INFERENCE_PROVIDER). */
  provider?: ProviderPreference;
  logger?: Logger;
  /** The service's metrics (`createMetrics(...)` from @baas/observability) or its registry. */
  metrics?: { registry: Registry };
  /** Whether the host has a GPU, for `auto`; default: the NVIDIA driver is loaded. */
  gpuPresent?: () => boolean;
  cudaDeviceId?: number;
  intraOpNumThreads?: number;
};

export type LoadModelOptions = SessionOptions & {
  model: ModelSpec;
  /** Most rows in one run; default 64 (INFERENCE_MAX_BATCH). */
  maxBatchSize?: number;
  /** How long the first waiting call holds a batch open; default 2 ms (INFERENCE_BATCH_WINDOW_MS). */
  batchWindowMs?: number;
  /** Most rows waiting; default 10,000 (INFERENCE_MAX_QUEUE). */
  maxQueue?: number;
  /** Needed when the model has several inputs; default its only input. */
  inputName?: string;
  /** Default the first float32 output (e.g. `probabilities` of a classifier exported without zipmap). */
  outputName?: string;
  /** Let NaN through as "missing" (gradient-boosted trees treat it so); ±Infinity is always refused. */
  acceptNaN?: boolean;
};

/** What readiness and operators see. */
export type ModelDescription = {
  name: string;
  version: string;
  sha256: string;
  provider: ExecutionProvider;
  requestedProvider: ProviderPreference;
  cudaAttempted: boolean;
  fallbackReason?: string;
  inputName: string;
  outputName: string;
  inputWidth: number;
  outputWidth: number;
  maxBatchSize: number;
  batchWindowMs: number;
  onnxruntimeVersion: string;
  ready: boolean;
};

/** Counts since load (the warm-up run at load is not counted). */
export type ModelStats = { runs: number; rows: number; largestBatch: number; failedRuns: number };

export type InputRow = Float32Array | readonly number[];

export type LoadedModel = {
  /** One row in, its output row out; concurrent calls share runs. */
  predict(row: InputRow): Promise<Float32Array>;
  /** Several rows, each answered in order (they may span several runs). */
  predictMany(rows: readonly InputRow[]): Promise<Float32Array[]>;
  describe(): ModelDescription;
  stats(): ModelStats;
  /** For readiness checks: loaded and not closed. */
  isReady(): boolean;
  /** Refuses new calls, fails the waiting ones with MODEL_CLOSED, waits for the run in flight, frees the session. */
  close(): Promise<void>;
};

/** LoadModelOptions' batching and provider fields from the validated environment (inferenceEnv). */
export function inferenceOptionsFromEnv(env: InferenceEnv): Pick<LoadModelOptions, 'provider' | 'maxBatchSize' | 'batchWindowMs' | 'maxQueue' | 'intraOpNumThreads'> {
  return {
    provider: env.INFERENCE_PROVIDER,
    maxBatchSize: env.INFERENCE_MAX_BATCH,
    batchWindowMs: env.INFERENCE_BATCH_WINDOW_MS,
    maxQueue: env.INFERENCE_MAX_QUEUE,
    intraOpNumThreads: env.INFERENCE_THREADS,
  };
}

/**
 * Loads a model once, at start: checks the file's sha256 (refuses on mismatch), opens it on CUDA or
 * CPU (see openSession), checks it takes float32 `[N, width]` rows, runs it once on a zero row, and
 * returns a typed, batching predictor. Throws an InferenceError when the model cannot be used: a
 * service should not start without its model.
 */
export async function loadModel(opts: LoadModelOptions): Promise<LoadedModel> {
  const spec = opts.model;
  const label = `${spec.name} ${spec.version}`;
  const requested = opts.provider ?? 'auto';
  const bytes = await readVerifiedModel(spec);
  const sha256 = spec.sha256.toLowerCase();

  let shape: ReturnType<typeof inspectModelShape> | undefined;
  let outputWidth = 0;
  const warmUp = async (session: InferenceSession) => {
    shape = inspectModelShape(session, { model: label, inputName: opts.inputName, outputName: opts.outputName });
    const zero = new Tensor('float32', new Float32Array(shape.inputWidth), [1, shape.inputWidth]);
    const out = (await session.run({ [shape.inputName]: zero }, [shape.outputName]))[shape.outputName];
    outputWidth = checkedOutputWidth(out, 1, label);
  };
  let opened;
  try {
    opened = await openSession({
      bytes,
      preference: requested,
      gpuPresent: opts.gpuPresent ?? nvidiaGpuPresent,
      check: warmUp,
      ...(opts.cudaDeviceId !== undefined ? { cudaDeviceId: opts.cudaDeviceId } : {}),
      ...(opts.intraOpNumThreads !== undefined ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
    });
  } catch (cause) {
    if (cause instanceof InferenceError) throw cause;
    throw new InferenceError('MODEL_LOAD_FAILED', `Model ${label}: onnxruntime could not load it.`, { cause });
  }
  const { session, provider } = opened;
  const { inputName, outputName, inputWidth, fixedBatch } = shape!;
  const maxBatchSize = fixedBatch ?? Math.max(1, Math.floor(opts.maxBatchSize ?? 64));
  const batchWindowMs = Math.max(0, opts.batchWindowMs ?? 2);
  const metrics = createInferenceMetrics(opts.metrics?.registry);
  const infoLabels = { model: spec.name, version: spec.version, sha256, provider, requested_provider: requested };
  const stats: ModelStats = { runs: 0, rows: 0, largestBatch: 0, failedRuns: 0 };
  let ready = true;

  const runBatch = async (rows: Float32Array[]): Promise<Float32Array[]> => {
    const n = rows.length;
    const data = new Float32Array(n * inputWidth);
    rows.forEach((row, i) => data.set(row, i * inputWidth));
    const started = performance.now();
    try {
      const result = await session.run({ [inputName]: new Tensor('float32', data, [n, inputWidth]) }, [outputName]);
      const out = result[outputName];
      const k = checkedOutputWidth(out, n, label);
      const values = (out as Tensor).data as Float32Array;
      stats.runs += 1;
      stats.rows += n;
      stats.largestBatch = Math.max(stats.largestBatch, n);
      metrics.run(spec.name, n, (performance.now() - started) / 1000, 'ok');
      // Each caller gets its own copy, not a view into a buffer shared with the others.
      return rows.map((_, i) => values.slice(i * k, (i + 1) * k));
    } catch (cause) {
      stats.failedRuns += 1;
      metrics.run(spec.name, n, (performance.now() - started) / 1000, 'error');
      opts.logger?.error({ err: cause, model: spec.name, version: spec.version, rows: n }, 'model run failed');
      throw cause instanceof InferenceError
        ? cause
        : new InferenceError('INFERENCE_FAILED', `Model ${label}: the run of ${n} rows failed.`, { cause });
    }
  };

  const queue = createBatchQueue<Float32Array, Float32Array>({
    runBatch,
    maxBatchSize,
    windowMs: batchWindowMs,
    maxQueue: Math.max(1, Math.floor(opts.maxQueue ?? 10_000)),
  });

  const toRow = (row: InputRow): Float32Array => {
    if (!(row instanceof Float32Array) && !Array.isArray(row)) {
      throw new InferenceError('INFERENCE_INPUT_INVALID', `Model ${label}: a row must be a Float32Array or an array of numbers.`);
    }
    if (row.length !== inputWidth) {
      throw new InferenceError('INFERENCE_INPUT_INVALID', `Model ${label}: a row needs ${inputWidth} values, got ${row.length}.`, {
        details: { expected: inputWidth, got: row.length },
      });
    }
    const copy = Float32Array.from(row as ArrayLike<number>);
    for (let i = 0; i < copy.length; i++) {
      const v = copy[i]!;
      const ok = Number.isFinite(v) || (opts.acceptNaN === true && Number.isNaN(v));
      if (!ok || (typeof row[i] !== 'number')) {
        // The index only: feature values may be personal data.
        throw new InferenceError('INFERENCE_INPUT_INVALID', `Model ${label}: value ${i} of the row is not a finite number.`, {
          details: { index: i },
        });
      }
    }
    return copy;
  };

  metrics.loaded(infoLabels);
  const description: Omit<ModelDescription, 'ready'> = {
    name: spec.name,
    version: spec.version,
    sha256,
    provider,
    requestedProvider: requested,
    cudaAttempted: opened.cudaAttempted,
    ...(opened.fallbackReason ? { fallbackReason: opened.fallbackReason } : {}),
    inputName,
    outputName,
    inputWidth,
    outputWidth,
    maxBatchSize,
    batchWindowMs,
    onnxruntimeVersion: ortEnv.versions.node ?? ortEnv.versions.common,
  };
  const log = { model: spec.name, version: spec.version, sha256, provider, requestedProvider: requested };
  if (opened.fallbackReason) opts.logger?.warn({ ...log, reason: opened.fallbackReason }, 'model loaded on CPU: CUDA fell back');
  else opts.logger?.info(log, 'model loaded');

  return {
    async predict(row) {
      if (!ready) throw new InferenceError('MODEL_CLOSED');
      return queue.push(toRow(row));
    },
    async predictMany(rows) {
      if (!ready) throw new InferenceError('MODEL_CLOSED');
      const checked = rows.map(toRow);
      return Promise.all(checked.map((row) => queue.push(row)));
    },
    describe: () => ({ ...description, ready }),
    stats: () => ({ ...stats }),
    isReady: () => ready,
    async close() {
      if (!ready) return;
      ready = false;
      await queue.close();
      metrics.unloaded(infoLabels);
      await session.release();
    },
  };
}

function checkedOutputWidth(out: unknown, rows: number, label: string): number {
  if (!(out instanceof Tensor) || out.type !== 'float32') {
    throw new InferenceError('MODEL_SHAPE_UNSUPPORTED', `Model ${label}: the output is not a float32 tensor.`);
  }
  const [n, k = 1, ...rest] = out.dims;
  if (n !== rows || rest.length > 0 || k < 1 || out.data.length !== rows * k) {
    throw new InferenceError('MODEL_SHAPE_UNSUPPORTED', `Model ${label}: ${rows} rows gave an output of shape [${out.dims.join(', ')}].`);
  }
  return k;
}
