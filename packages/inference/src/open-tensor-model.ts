import { performance } from 'node:perf_hooks';
import { Tensor, env as ortEnv, type InferenceSession } from 'onnxruntime-node';
import { InferenceError } from './inference-error';
import { createInferenceMetrics } from './inference-metrics';
import { nvidiaGpuPresent, openSession, type ExecutionProvider, type ProviderPreference } from './open-session';
import type { SessionOptions } from './load-model';
import { readVerifiedModel, type ModelSpec } from './read-verified-model';

/** A float32 tensor: row-major values and their dimensions (the product of `dims` is `data.length`). */
export type FloatTensor = { data: Float32Array; dims: number[] };
export type TensorFeeds = Record<string, FloatTensor>;

export type OpenTensorModelOptions = SessionOptions & {
  /**
   * Feeds of one warm-up run at load (e.g. a small zero image). A failure on CUDA falls back to CPU,
   * on CPU it throws MODEL_LOAD_FAILED. Without it the session is only created, not run.
   */
  warmUp?: TensorFeeds;
};

export type TensorModelDescription = {
  name: string;
  version: string;
  sha256: string;
  provider: ExecutionProvider;
  requestedProvider: ProviderPreference;
  cudaAttempted: boolean;
  fallbackReason?: string;
  inputNames: string[];
  outputNames: string[];
  onnxruntimeVersion: string;
  ready: boolean;
};

export type TensorModel = {
  /** One run: every output of the model (or only `outputNames`), as float32 tensors. */
  run(feeds: TensorFeeds, outputNames?: readonly string[]): Promise<TensorFeeds>;
  describe(): TensorModelDescription;
  isReady(): boolean;
  /** Refuses new runs, waits for those in flight, frees the session. */
  close(): Promise<void>;
};

/**
 * Loads a model with arbitrary float32 tensor inputs and outputs (images, feature maps), for models
 * that do not take `[N, width]` rows (use loadModel for those). The file's sha256 is checked as in
 * loadModel (readVerifiedModel) and the session opened on CUDA or CPU with fallback (openSession).
 * Runs are not batched: the caller builds its own batch dimension.
 */
export async function openTensorModel(spec: ModelSpec, options: OpenTensorModelOptions = {}): Promise<TensorModel> {
  const label = `${spec.name} ${spec.version}`;
  const requested = options.provider ?? 'auto';
  const bytes = await readVerifiedModel(spec);
  const sha256 = spec.sha256.toLowerCase();
  const warmUp = async (session: InferenceSession) => {
    if (options.warmUp) await runSession(session, label, options.warmUp, session.outputNames);
  };
  let opened;
  try {
    opened = await openSession({
      bytes,
      preference: requested,
      gpuPresent: options.gpuPresent ?? nvidiaGpuPresent,
      check: warmUp,
      ...(options.cudaDeviceId !== undefined ? { cudaDeviceId: options.cudaDeviceId } : {}),
      ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    });
  } catch (cause) {
    if (cause instanceof InferenceError && cause.code !== 'INFERENCE_FAILED') throw cause;
    throw new InferenceError('MODEL_LOAD_FAILED', `Model ${label}: onnxruntime could not load it.`, { cause });
  }
  const { session, provider } = opened;
  const metrics = createInferenceMetrics(options.metrics?.registry);
  const infoLabels = { model: spec.name, version: spec.version, sha256, provider, requested_provider: requested };
  metrics.loaded(infoLabels);
  const description: Omit<TensorModelDescription, 'ready'> = {
    name: spec.name,
    version: spec.version,
    sha256,
    provider,
    requestedProvider: requested,
    cudaAttempted: opened.cudaAttempted,
    ...(opened.fallbackReason ? { fallbackReason: opened.fallbackReason } : {}),
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    onnxruntimeVersion: ortEnv.versions.node ?? ortEnv.versions.common,
  };
  const log = { model: spec.name, version: spec.version, sha256, provider, requestedProvider: requested };
  if (opened.fallbackReason) options.logger?.warn({ ...log, reason: opened.fallbackReason }, 'model loaded on CPU: CUDA fell back');
  else options.logger?.info(log, 'model loaded');

  let ready = true;
  const inFlight = new Set<Promise<unknown>>();
  return {
    async run(feeds, outputNames) {
      if (!ready) throw new InferenceError('MODEL_CLOSED');
      const wanted = outputNames ? [...outputNames] : [...session.outputNames];
      const started = performance.now();
      const batch = firstDim(feeds);
      const pending = runSession(session, label, feeds, wanted);
      inFlight.add(pending);
      try {
        const out = await pending;
        metrics.run(spec.name, batch, (performance.now() - started) / 1000, 'ok');
        return out;
      } catch (err) {
        metrics.run(spec.name, batch, (performance.now() - started) / 1000, 'error');
        if (!(err instanceof InferenceError && err.code === 'INFERENCE_INPUT_INVALID')) {
          options.logger?.error({ err, model: spec.name, version: spec.version }, 'model run failed');
        }
        throw err;
      } finally {
        inFlight.delete(pending);
      }
    },
    describe: () => ({ ...description, ready }),
    isReady: () => ready,
    async close() {
      if (!ready) return;
      ready = false;
      await Promise.allSettled([...inFlight]);
      metrics.unloaded(infoLabels);
      await session.release();
    },
  };
}

async function runSession(session: InferenceSession, label: string, feeds: TensorFeeds, outputNames: readonly string[]): Promise<TensorFeeds> {
  const ortFeeds: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    if (!session.inputNames.includes(name)) {
      throw new InferenceError('INFERENCE_INPUT_INVALID', `Model ${label}: it has no input named ${name}.`, { details: { input: name } });
    }
    const size = t.dims.reduce((a, d) => a * d, 1);
    if (!(t.data instanceof Float32Array) || t.dims.some((d) => !Number.isInteger(d) || d < 0) || size !== t.data.length) {
      throw new InferenceError('INFERENCE_INPUT_INVALID', `Model ${label}: input ${name} needs a Float32Array of the size of its dims.`, {
        details: { input: name, dims: [...t.dims], length: t.data?.length },
      });
    }
    ortFeeds[name] = new Tensor('float32', t.data, [...t.dims]);
  }
  let result: InferenceSession.ReturnType;
  try {
    result = await session.run(ortFeeds, [...outputNames]);
  } catch (cause) {
    throw new InferenceError('INFERENCE_FAILED', `Model ${label}: the run failed.`, { cause });
  }
  const out: TensorFeeds = {};
  for (const name of outputNames) {
    const t = result[name];
    if (!(t instanceof Tensor) || t.type !== 'float32') {
      throw new InferenceError('MODEL_SHAPE_UNSUPPORTED', `Model ${label}: output ${name} is not a float32 tensor.`);
    }
    out[name] = { data: t.data as Float32Array, dims: t.dims.map(Number) };
  }
  return out;
}

function firstDim(feeds: TensorFeeds): number {
  const first = Object.values(feeds)[0];
  return first?.dims[0] ?? 1;
}
