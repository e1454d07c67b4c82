import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RequestOutcome = 'ok' | 'error';

export type Metrics = {
  registry: Registry;
  /** Counts one GraphQL request and records its duration. */
  observeRequest(labels: { operation: string; outcome: RequestOutcome }, durationSeconds: number): void;
  /** Records the duration of one call from the gateway to a subgraph. */
  observeSubgraph(labels: { subgraph: string; outcome: string }, durationSeconds: number): void;
  /** The registry in Prometheus text format, for a /metrics endpoint. */
  render(): Promise<{ contentType: string; body: string }>;
};

export type CreateMetricsOptions = {
  service: string;
  /** Defaults to a new registry, so two instances in one process (tests) never collide. */
  registry?: Registry;
  /** Distinct operation names kept per registry before new ones are counted as "other". */
  maxOperations?: number;
};

// Fine steps where GraphQL latencies cluster (1 to 500 ms) so P50/P95/P99 interpolate well, up to 10 s.
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10,
];

const MAX_LABEL_LENGTH = 64;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const SAFE_LABEL = /^[A-Za-z0-9_.:-]+$/;
const defaultMetricsRegistered = new WeakSet<Registry>();
const seenOperations = new WeakMap<Registry, Set<string>>();

/**
 * Prometheus metrics for a service: graphql_requests_total, graphql_request_duration_seconds,
 * subgraph_request_duration_seconds and the default process metrics (registered once per registry).
 */
export function createMetrics(opts: CreateMetricsOptions): Metrics {
  const registry = opts.registry ?? new Registry();
  const maxOperations = opts.maxOperations ?? 1000;
  registerDefaultMetrics(registry);

  const requests = reuseOrCreate(registry, 'graphql_requests_total', () =>
    new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome',
      labelNames: ['service', 'operation', 'outcome'] as const,
      registers: [registry],
    }),
  );
  const requestDuration = reuseOrCreate(registry, 'graphql_request_duration_seconds', () =>
    new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request duration in seconds by operation name',
      labelNames: ['service', 'operation'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  );
  const subgraphDuration = reuseOrCreate(registry, 'subgraph_request_duration_seconds', () =>
    new Histogram({
      name: 'subgraph_request_duration_seconds',
      help: 'Duration in seconds of calls to a subgraph by outcome',
      labelNames: ['service', 'subgraph', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  );

  const operationLabel = (name: string): string => {
    const bounded = boundOperation(name);
    let seen = seenOperations.get(registry);
    if (!seen) seenOperations.set(registry, (seen = new Set()));
    if (seen.has(bounded)) return bounded;
    // Operation names come from clients: past the cap a flood of random names must not add series.
    if (seen.size >= maxOperations) return 'other';
    seen.add(bounded);
    return bounded;
  };

  return {
    registry,
    observeRequest(labels, durationSeconds) {
      const operation = operationLabel(labels.operation);
      const outcome = labels.outcome === 'ok' ? 'ok' : 'error';
      requests.inc({ service: opts.service, operation, outcome });
      if (validDuration(durationSeconds)) requestDuration.observe({ service: opts.service, operation }, durationSeconds);
    },
    observeSubgraph(labels, durationSeconds) {
      if (!validDuration(durationSeconds)) return;
      subgraphDuration.observe(
        { service: opts.service, subgraph: boundLabel(labels.subgraph), outcome: boundLabel(labels.outcome) },
        durationSeconds,
      );
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** The operation label: the GraphQL operation name cut to 64 characters, or "anonymous". */
export function boundOperation(name: unknown): string {
  if (typeof name !== 'string' || !GRAPHQL_NAME.test(name)) return 'anonymous';
  return name.slice(0, MAX_LABEL_LENGTH);
}

function boundLabel(value: unknown): string {
  if (typeof value !== 'string' || !SAFE_LABEL.test(value)) return 'unknown';
  return value.slice(0, MAX_LABEL_LENGTH);
}

function validDuration(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= 0;
}

function registerDefaultMetrics(registry: Registry): void {
  if (defaultMetricsRegistered.has(registry)) return;
  defaultMetricsRegistered.add(registry);
  // A registry that someone else already fed default metrics would throw on duplicate names.
  if (registry.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics({ register: registry });
}

// Two createMetrics calls on one shared registry must share the metric, not throw on its name.
function reuseOrCreate<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
