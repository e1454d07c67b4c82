import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { CreateWebhookEndpointDocument, WebhookDeliveriesDocument, type WebhookDeliveriesQuery } from '@baas/sdk';
import { startWebhookReceiver, type WebhookReceiver } from '@baas/webhook-receiver';
import { startPaymentsWorld, type PaymentsWorld } from '../payments/payments-world';
import type { Tenant } from '../risk/risk-world';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * The environment that turns deliveries on in a test platform: the ledger and payments relays
 * publish to streams of this platform's own, under a subject prefix (streams may not overlap
 * subjects on the shared NATS), the webhooks fan-out reads them, and retries come in hundreds of
 * milliseconds instead of the three-day table.
 */
export function webhooksDeliveryEnv(over: Record<string, string> = {}): { env: Record<string, string>; streams: string[] } {
  const id = randomUUID().replaceAll('-', '').slice(0, 10);
  const streams = [`LEDGER_W${id}`, `PAYMENTS_W${id}`, `ACCOUNTS_W${id}`, `CARDS_W${id}`, `KYC_W${id}`];
  return {
    streams,
    env: {
      LEDGER_OUTBOX_RELAY: 'true',
      LEDGER_STREAM: streams[0]!,
      PAYMENTS_EVENTS_RELAY: 'true',
      PAYMENTS_STREAM: streams[1]!,
      ACCOUNTS_EVENTS_RELAY: 'true',
      ACCOUNTS_STREAM: streams[2]!,
      CARDS_EVENTS_RELAY: 'true',
      CARDS_STREAM: streams[3]!,
      KYC_EVENTS_RELAY: 'true',
      KYC_EVENTS_STREAM: streams[4]!,
      EVENTS_SUBJECT_PREFIX: `w${id}`,
      WEBHOOKS_DELIVERY: 'true',
      WEBHOOKS_SOURCE_STREAMS: streams.join(','),
      WEBHOOKS_RETRY_DELAYS_MS: '200,300,400,500,600',
      WEBHOOKS_POLL_MS: '100',
      WEBHOOKS_TIMEOUT_MS: '1500',
      ...over,
    },
  };
}

/** Deletes a platform's streams (their consumers go with them). */
export async function deleteStreams(streams: readonly string[]): Promise<void> {
  const nc = await connect({ servers: NATS_URL }).catch(() => null);
  if (!nc) return;
  const jsm = await nc.jetstreamManager();
  for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
}

export type WebhooksWorld = PaymentsWorld & {
  streams: readonly string[];
  /** The tenant's client with webhooks:write. */
  writer(tenant: Tenant): Identity;
  /** A receiver holding a new endpoint's secret, and the endpoint (subscribed to `eventTypes`). */
  endpoint(tenant: Tenant, eventTypes: string[], opts?: { failFirst?: number; hang?: boolean }): Promise<{ id: string; secret: string; receiver: WebhookReceiver }>;
  /** The endpoint's deliveries (newest first) as its tenant reads them. */
  deliveries(tenant: Tenant, endpointId: string): Promise<WebhookDeliveriesQuery['webhookDeliveries']['items']>;
};

/** A payments world with deliveries on; receivers closed and streams deleted on stop. */
export async function startWebhooksWorld(over: Record<string, string> = {}, opts: { processes?: readonly string[] } = {}): Promise<WebhooksWorld> {
  const { env, streams } = webhooksDeliveryEnv(over);
  const w = await startPaymentsWorld(env, opts);
  const receivers: WebhookReceiver[] = [];
  const writer = (t: Tenant): Identity => ({ ...t.client, scopes: [...t.client.scopes, 'webhooks:write'] });
  return {
    ...w,
    streams,
    writer,
    async endpoint(tenant, eventTypes, opts = {}) {
      const receiver = await startWebhookReceiver({ secrets: [], ...opts });
      receivers.push(receiver);
      const id = uuidv7();
      const made = await w.ok(CreateWebhookEndpointDocument, { input: { id, url: `${receiver.url}/hooks`, eventTypes } }, writer(tenant));
      receiver.setSecrets([made.createWebhookEndpoint.secret!]);
      return { id, secret: made.createWebhookEndpoint.secret!, receiver };
    },
    async deliveries(tenant, endpointId) {
      return (await w.ok(WebhookDeliveriesDocument, { endpointId, first: 100 }, writer(tenant))).webhookDeliveries.items;
    },
    async stop() {
      await Promise.all(receivers.map((r) => r.close().catch(() => undefined)));
      await w.stop();
      await deleteStreams(streams);
    },
  };
}
