import { DURATION_BUCKETS } from '@baas/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ModelLabels = { model: string; version: string; sha256: string; provider: string; requested_provider: string };

export type InferenceMetrics = {
  loaded(labels: ModelLabels): void;
  unloaded(labels: ModelLabels): void;
  run(model: string, rows: number, seconds: number, outcome: 'ok' | 'error'): void;
};

const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

/**
 * inference_model_info (1 per loaded model, with provider and sha256 as labels), inference_runs_total,
 * inference_rows_total, inference_batch_rows and inference_run_duration_seconds, on the service's
 * registry (pass `createMetrics(...)` from @baas/observability). Several models share the metrics.
 */
export function createInferenceMetrics(registry: Registry | undefined): InferenceMetrics {
  if (!registry) return { loaded() {}, unloaded() {}, run() {} };
  const info = reuseOrCreate(registry, 'inference_model_info', () =>
    new Gauge({
      name: 'inference_model_info',
      help: 'Loaded ONNX models: 1 per model, with its version, sha256 and execution provider',
      labelNames: ['model', 'version', 'sha256', 'provider', 'requested_provider'] as const,
      registers: [registry],
    }),
  );
  const runs = reuseOrCreate(registry, 'inference_runs_total', () =>
    new Counter({
      name: 'inference_runs_total',
      help: 'Model runs (one per batch) by outcome',
      labelNames: ['model', 'outcome'] as const,
      registers: [registry],
    }),
  );
  const rows = reuseOrCreate(registry, 'inference_rows_total', () =>
    new Counter({ name: 'inference_rows_total', help: 'Rows answered by the model', labelNames: ['model'] as const, registers: [registry] }),
  );
  const batchRows = reuseOrCreate(registry, 'inference_batch_rows', () =>
    new Histogram({
      name: 'inference_batch_rows',
      help: 'Rows stacked into one model run',
      labelNames: ['model'] as const,
      buckets: BATCH_BUCKETS,
      registers: [registry],
    }),
  );
  const duration = reuseOrCreate(registry, 'inference_run_duration_seconds', () =>
    new Histogram({
      name: 'inference_run_duration_seconds',
      help: 'Duration of one model run in seconds',
      labelNames: ['model'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  );
  return {
    loaded: (labels) => info.set(labels, 1),
    unloaded: (labels) => info.remove(labels),
    run(model, n, seconds, outcome) {
      runs.inc({ model, outcome });
      if (outcome === 'ok') rows.inc({ model }, n);
      batchRows.observe({ model }, n);
      if (Number.isFinite(seconds) && seconds >= 0) duration.observe({ model }, seconds);
    },
  };
}

// Two models in one process share a registry: the second reuses the metric instead of throwing on its name.
function reuseOrCreate<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
