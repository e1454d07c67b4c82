import type { Outflow, RiskPort, RiskVerdict } from './outflow';
import { createRiskVerdictMemo } from './risk-verdict-memo';

/** What a tenant chose for when risk cannot answer: OPEN lets the outflow through unscored, CLOSED refuses it. */
export type RiskFailMode = 'OPEN' | 'CLOSED';

export const RISK_FAIL_MODES: readonly RiskFailMode[] = ['OPEN', 'CLOSED'];

/** The reason code of a verdict the fail mode made (risk did not answer). */
export const RISK_UNAVAILABLE = 'RISK_UNAVAILABLE';

/** A structural logger (pino's `warn` fits): the policy package depends on no logger. */
export type RiskPortLogger = { warn(obj: Record<string, unknown>, msg: string): void };

export type RiskPortOptions = {
  /**
   * Asks the risk service (the risk subgraph's scoreTransaction through an internal client). Must
   * be idempotent per outflow id. `signal` aborts when the port stops waiting (the timeout).
   */
  score(outflow: Outflow, signal: AbortSignal): Promise<RiskVerdict>;
  /** The tenant's fail mode, known without risk (stored by the rail's own service). */
  failMode(tenantId: string): Promise<RiskFailMode>;
  /** How long to wait for risk before the fail mode decides. */
  timeoutMs: number;
  logger: RiskPortLogger;
  /** Counts each verdict the fail mode made (createRiskUnavailableCounter, registered on the service's /metrics). */
  metrics?: { unavailable(labels: { rail: string; failMode: RiskFailMode }): void };
  /**
   * Answers a movement's one repeat (a saga's RISK step, a payment order's approval: the same
   * question under the request's id) from the verdict risk gave, not the fail mode's
   * (risk-verdict-memo.ts). Default true; false asks risk every time (the baseline in benches).
   */
  rememberVerdicts?: boolean;
};

class RiskTimeoutError extends Error {
  override name = 'RiskTimeoutError';
}

/**
 * The shared risk port of every rail: asks risk with a timeout; when risk is unreachable, times out
 * or answers an error, the tenant's fail mode decides: OPEN -> ALLOW with reasons [RISK_UNAVAILABLE]
 * and `unavailable: true`, CLOSED -> BLOCK with reasons [RISK_UNAVAILABLE]. Either is logged (warn:
 * outflow id, rail, tenant, fail mode and why; no amounts or customer data) and counted. A failure
 * to read the fail mode itself is thrown (the rail's store is down: the caller retries as for any
 * store failure). Safe to ask twice for one outflow, as `score` is.
 */
export function createRiskPort(opts: RiskPortOptions): RiskPort {
  if (!Number.isInteger(opts.timeoutMs) || opts.timeoutMs < 1) throw new RangeError('timeoutMs must be a positive integer');
  const score = opts.rememberVerdicts === false ? opts.score : createRiskVerdictMemo().wrap(opts.score);
  return {
    async assess(outflow) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new RiskTimeoutError(`risk did not answer within ${opts.timeoutMs} ms`));
          controller.abort();
        }, opts.timeoutMs);
      });
      try {
        return await Promise.race([score(outflow, controller.signal), timeout]);
      } catch (error) {
        const failMode = await opts.failMode(outflow.tenantId);
        const why = error instanceof RiskTimeoutError ? 'timeout' : 'error';
        const message = error instanceof Error ? error.message.slice(0, 200) : 'unknown';
        opts.logger.warn({ outflowId: outflow.id, rail: outflow.rail, tenantId: outflow.tenantId, failMode, why, err: message }, 'risk unavailable: the tenant fail mode decides');
        opts.metrics?.unavailable({ rail: outflow.rail, failMode });
        return failMode === 'OPEN' ? { decision: 'ALLOW', reasons: [RISK_UNAVAILABLE], unavailable: true } : { decision: 'BLOCK', reasons: [RISK_UNAVAILABLE], unavailable: true };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * `risk_unavailable_total{rail, fail_mode}`: verdicts the fail mode made. Without a prom-client
 * dependency: `metric` is a collector a prom-client Registry accepts (`registry.registerMetric`),
 * `inc` is what createRiskPort's `metrics.unavailable` calls, `value` reads a count (tests).
 */
export function createRiskUnavailableCounter() {
  const counts = new Map<string, { rail: string; failMode: RiskFailMode; value: number }>();
  const name = 'risk_unavailable_total';
  const help = 'Outflows the tenant fail mode decided because risk did not answer, by rail and fail mode';
  const values = () => [...counts.values()].map((c) => ({ labels: { rail: c.rail, fail_mode: c.failMode }, value: c.value }));
  return {
    unavailable(labels: { rail: string; failMode: RiskFailMode }): void {
      const key = `${labels.rail}\u0000${labels.failMode}`;
      const entry = counts.get(key) ?? { ...labels, value: 0 };
      entry.value += 1;
      counts.set(key, entry);
    },
    value(labels: { rail: string; failMode: RiskFailMode }): number {
      return counts.get(`${labels.rail}\u0000${labels.failMode}`)?.value ?? 0;
    },
    metric: {
      name,
      help,
      type: 'counter' as const,
      aggregator: 'sum' as const,
      get: async () => ({ name, help, type: 'counter' as const, aggregator: 'sum' as const, values: values() }),
      reset: () => counts.clear(),
    },
  };
}

/** Risk turned off (RISK_URL=off, development): every movement is allowed without asking. */
export const RISK_OFF: RiskPort = { assess: async () => ({ decision: 'ALLOW', reasons: [] }) };
