import { createPool } from '@baas/db';
import { createMetrics, type Logger } from '@baas/observability';
import { listen, opsRoutes, routeFor, sendError, sendJson, type HttpServerHandle, type Route } from '@baas/server';
import type { LedgerRelayConfig } from '../config';
import { startLedgerOutboxRelay } from './outbox-relay';

const SERVICE = 'ledger-relay';

export type RunningLedgerRelay = HttpServerHandle & { stop(): Promise<void> };

/**
 * The ledger's outbox relay as a process of its own (`workers/relay-main.ts`; `npm start` runs it and turns
 * the ledger's in-process relay off). The same relay as in the ledger: one per relay name holds the
 * lock and publishes, others stand by, and it retries while PostgreSQL or NATS is away. In the
 * writer's process the two shared one core and the relay fell behind batched writes; here it keeps
 * up (bench/README.md). `/healthz`; `/readyz` (ready once connected to NATS with the stream
 * provisioned); `/metrics` with `outbox_rows_waiting` and `outbox_oldest_waiting_age_seconds`.
 */
export async function startLedgerRelayProcess(config: LedgerRelayConfig, logger: Logger): Promise<RunningLedgerRelay> {
  if (config.NODE_ENV === 'production' && !config.OPS_TOKEN) throw new Error('OPS_TOKEN is required in production (it guards /metrics and /readyz details).');
  const pool = createPool(config.DATABASE_URL, { max: 3, applicationName: 'baas-ledger-relay' });
  const metrics = createMetrics({ service: SERVICE });
  const relay = startLedgerOutboxRelay({
    pool,
    natsUrl: config.NATS_URL,
    streamName: config.LEDGER_STREAM,
    logger,
    metrics: metrics.registry,
    ...(config.EVENTS_SUBJECT_PREFIX ? { subjectPrefix: config.EVENTS_SUBJECT_PREFIX } : {}),
  });
  const routes: Record<string, Route> = {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: SERVICE }),
    ...opsRoutes({
      access: { token: config.OPS_TOKEN },
      metrics,
      readiness: async () => {
        const s = relay.stats();
        return { ready: s.connected, details: { service: SERVICE, checks: { nats: s.connected, lock: s.active }, waiting: s.waiting, oldestAgeSeconds: s.oldestAgeSeconds } };
      },
    }),
  };
  const http = await listen(
    async (req, res) => {
      const route = req.method === 'GET' ? routeFor(routes, new URL(req.url ?? '/', 'http://relay').pathname) : undefined;
      if (!route) return sendError(res, 'NOT_FOUND');
      try {
        await route(req, res);
      } catch (err) {
        logger.error({ err }, 'ops route failed');
        if (!res.headersSent) sendError(res, 'INTERNAL_SERVER_ERROR');
      }
    },
    { port: config.PORT, host: config.HOST, pathForUrl: '/metrics' },
  );
  logger.info({ url: http.url, stream: config.LEDGER_STREAM }, 'ledger outbox relay running');
  return {
    ...http,
    async stop() {
      await http.close();
      await relay.stop();
      await pool.end();
    },
  };
}
