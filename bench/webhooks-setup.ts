// bench:webhooks' world: an isolated database, two throwaway JetStream streams (the webhooks
// fan-out reads one; a bare durable consumer, the baseline, reads the other), the webhooks
// subgraph started in this process from webhooksConfigSchema, and T tenants with one endpoint
// each (made through the subgraph's GraphQL as the tenant's API client with webhooks:write),
// each endpoint pointing at a local receiver of its own that holds the endpoint's secret.
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'nats';
import pg from 'pg';
import { IDENTITY_HEADER, signIdentityAssertion, type Identity } from '@baas/auth';
import { parseConfig } from '@baas/config';
import { connectEvents, type EventBus } from '@baas/events';
import { createLogger } from '@baas/observability';
import { createWebhooksSubgraph, webhooksConfigSchema } from '@baas/subgraph-webhooks';
import { createTestDatabase } from '@baas/testing';
import { startWebhookReceiver, type WebhookReceiver } from '@baas/webhook-receiver';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export type Tenant = { tenantId: string; endpointId: string; receiver: WebhookReceiver };

export type WebhooksBenchWorld = {
  bus: EventBus;
  /** The stream the fan-out reads, and the subject prefix its events are published under. */
  stream: string;
  subject: string;
  /** The baseline's stream and subject prefix. */
  baseStream: string;
  baseSubject: string;
  tenants: Tenant[];
  /** Each delivery row of these events: created_at (the fan-out's transaction), delivered_at, attempts, last POST latency. */
  deliveryRows(): Promise<{ eventId: string; createdAt: number; deliveredAt: number | null; attempts: number; latencyMs: number | null; status: string }[]>;
  /** Transactions committed in the isolated database so far (pg_stat_database). */
  commits(): Promise<number>;
  stop(): Promise<void>;
};

const CREATE = 'mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret } }';

export async function startWebhooksBenchWorld(opts: { tenants: number; env?: Record<string, string> }): Promise<WebhooksBenchWorld> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error('cleanup:', e));
  };
  try {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const id = randomBytes(5).toString('hex');
    const stream = `BENCH_WH_${id}`;
    const subject = `benchwh${id}`;
    const baseStream = `BENCH_WHB_${id}`;
    const baseSubject = `benchwhb${id}`;
    const bus = await connectEvents({ url: NATS_URL, name: 'bench-webhooks' });
    cleanups.push(async () => {
      await bus.close();
      const nc = await connect({ servers: NATS_URL });
      const jsm = await nc.jetstreamManager();
      for (const s of [stream, baseStream]) await jsm.streams.delete(s).catch(() => undefined);
      await nc.close();
    });
    await bus.ensureStream({ name: stream, subjects: [`${subject}.>`] });
    await bus.ensureStream({ name: baseStream, subjects: [`${baseSubject}.>`] });

    const secret = `bench-internal-secret-${randomUUID()}`;
    const parsed = parseConfig(webhooksConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      NATS_URL,
      PORT: '0',
      INTERNAL_IDENTITY_SECRET: secret,
      AUDIT_ENABLED: 'false',
      WEBHOOKS_DELIVERY: 'true',
      WEBHOOKS_SOURCE_STREAMS: stream,
      WEBHOOKS_CONSUMER: `bench_wh_${id}`,
      WEBHOOKS_POLL_MS: '50',
      WEBHOOKS_TIMEOUT_MS: '5000',
      PII_KEYS: `test:${randomBytes(32).toString('base64')}`,
      PII_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      ...opts.env,
    });
    if (!parsed.ok) throw new Error(`bad webhooks configuration:\n${parsed.problems.join('\n')}`);
    const logger = createLogger({ service: 'bench-webhooks', level: 'silent' });
    const subgraph = await createWebhooksSubgraph(parsed.config, logger);
    cleanups.push(() => subgraph.stop());

    const call = async (identity: Identity, query: string, variables: unknown) => {
      const res = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await signIdentityAssertion(identity, secret) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
    };

    const tenants: Tenant[] = [];
    for (let i = 0; i < opts.tenants; i++) {
      const tenantId = randomUUID();
      const receiver = await startWebhookReceiver({ secrets: [] });
      cleanups.push(() => receiver.close());
      const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId, scopes: ['webhooks:write'] };
      const out = await call(client, CREATE, { input: { id: randomUUID(), url: `${receiver.url}/hooks`, eventTypes: ['payments.order.*'] } });
      const made = out.data?.createWebhookEndpoint as { endpoint: { id: string }; secret: string } | undefined;
      if (!made?.secret) throw new Error(`createWebhookEndpoint: ${JSON.stringify(out.errors ?? out)}`);
      receiver.setSecrets([made.secret]);
      tenants.push({ tenantId, endpointId: made.endpoint.id, receiver });
    }

    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    cleanups.push(() => pool.end());
    return {
      bus,
      stream,
      subject,
      baseStream,
      baseSubject,
      tenants,
      async deliveryRows() {
        const { rows } = await pool.query<{ event_id: string; created_at: Date; delivered_at: Date | null; attempts: number; last_latency_ms: number | null; status: string }>(
          'SELECT event_id, created_at, delivered_at, attempts, last_latency_ms, status FROM webhooks.webhook_delivery',
        );
        return rows.map((r) => ({ eventId: r.event_id, createdAt: r.created_at.getTime(), deliveredAt: r.delivered_at?.getTime() ?? null, attempts: r.attempts, latencyMs: r.last_latency_ms, status: r.status }));
      },
      async commits() {
        const { rows } = await pool.query<{ n: string }>('SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()');
        return Number(rows[0]?.n ?? 0);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
