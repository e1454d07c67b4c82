import { z } from '@baas/config';

/**
 * The variables a service that runs ONNX models reads (spread them into its config schema).
 * INFERENCE_PROVIDER: `auto` tries CUDA when a GPU is present, `cuda` always tries it, `cpu` never
 * does; every failed CUDA attempt falls back to CPU and is reported, never fatal.
 */
export const inferenceEnv = {
  INFERENCE_PROVIDER: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  /** Most rows stacked into one run. */
  INFERENCE_MAX_BATCH: z.coerce.number().int().min(1).max(4096).default(64),
  /**
   * How long the first call of a batch waits for others (0: only those of the same tick). Default 0:
   * calls that arrive while a run is in flight are stacked into the next one anyway, so a window only
   * adds latency to a lone call (bench:risk: 2 ms of a 6.6 ms p50).
   */
  INFERENCE_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(0),
  /** Most rows waiting at once; past it calls fail fast with INFERENCE_OVERLOADED. */
  INFERENCE_MAX_QUEUE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * onnxruntime's intra-op threads per model. Default 1: with one per core (onnxruntime's own
   * default) its idle threads spin after every run, and at 50 small runs a second that kept a whole
   * core busy (bench:risk: 22.9 ms of CPU per call against 1.1 ms with one thread), starving the
   * stores beside it. Raise it for large models on many cores.
   */
  INFERENCE_THREADS: z.coerce.number().int().min(1).max(256).default(1),
};

export type InferenceEnv = {
  INFERENCE_PROVIDER: 'auto' | 'cuda' | 'cpu';
  INFERENCE_MAX_BATCH: number;
  INFERENCE_BATCH_WINDOW_MS: number;
  INFERENCE_MAX_QUEUE: number;
  INFERENCE_THREADS: number;
};
