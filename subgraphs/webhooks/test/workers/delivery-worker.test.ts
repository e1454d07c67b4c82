import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createLogger } from '@baas/observability';
import { createPiiVault, generatePiiKey } from '@baas/pii';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { startWebhookReceiver, type WebhookReceiver } from '@baas/webhook-receiver';
import { DEFAULT_EVENT_TYPE_REGISTRY, endpointWants } from '@baas/webhooks';
import { webhookBody, type TenantEvent } from '../../src/domain/event-routing';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createWebhookDeliveryStore, type WebhookDeliveryStore } from '../../src/store/webhook-delivery-store';
import { createWebhookEndpointStore } from '../../src/store/webhook-endpoint-store';
import { createWebhookEndpoint, type EndpointWriteDeps } from '../../src/use-cases/create-webhook-endpoint';
import { startDeliveryWorker } from '../../src/workers/delivery-worker';

const wants = (patterns: readonly string[], type: string) => endpointWants(patterns, type, DEFAULT_EVENT_TYPE_REGISTRY);
const logger = createLogger({ service: 'test', level: 'silent' });

describe('webhook deliveries: store and worker (real PostgreSQL, local receivers)', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let store: WebhookDeliveryStore;
  let deps: EndpointWriteDeps;
  const vault = createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() });
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(PrismaClient, db.url);
    store = createWebhookDeliveryStore(prisma, vault);
    deps = { endpoints: createWebhookEndpointStore(prisma), sealer: vault, urlPolicy: { allowHttp: true, allowLoopback: true } };
  });
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await prisma?.$disconnect();
    await db?.drop();
  });

  const endpoint = async (tenantId: string, eventTypes: string[], opts: { failFirst?: number; failStatus?: number; hang?: boolean } = {}) => {
    const receiver = await startWebhookReceiver({ secrets: [], ...opts });
    receivers.push(receiver);
    const who: Identity = { subject: uuidv7(), kind: 'api_client', tenantId, scopes: ['webhooks:write'] };
    const { row, secret } = await createWebhookEndpoint(deps, who, { id: uuidv7(), url: receiver.url, eventTypes });
    receiver.setSecrets([secret!]);
    return { id: row.id, receiver };
  };
  const event = (tenantId: string, type = 'payments.order.settled'): TenantEvent => {
    const id = uuidv7();
    const at = new Date();
    return { tenantId, id, type, occurredAt: at, body: webhookBody(id, type, at, { tenantId }) };
  };
  const worker = (over: Partial<Parameters<typeof startDeliveryWorker>[0]> = {}) =>
    startDeliveryWorker({ store, opener: vault, urlPolicy: { allowHttp: true, allowLoopback: true }, wants, logger, pollMs: 20, timeoutMs: 1000, retryPolicy: { delaysMs: [50, 50], jitter: 0 }, ...over });
  const until = async (what: string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + 20_000;
    while (!(await done())) {
      if (Date.now() > deadline) assert.fail(what);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('records a delivery per live endpoint that wants the type, once however often the event comes', async () => {
    const tenant = uuidv7();
    const orders = await endpoint(tenant, ['payments.order.*']);
    const ledger = await endpoint(tenant, ['ledger.>']);
    const e = event(tenant);
    assert.equal(await store.recordEvents([e], wants), 1);
    assert.equal(await store.recordEvents([e], wants), 0);
    const rows = await prisma.webhookDelivery.findMany({ where: { eventId: e.id } });
    assert.deepEqual(rows.map((r) => r.endpointId), [orders.id]);
    assert.equal(await prisma.webhookDelivery.count({ where: { endpointId: ledger.id } }), 0);
  });

  it('keeps no events of tenants without endpoints; an endpoint gets only what occurred after it was made', async () => {
    const lonely = uuidv7();
    assert.equal(await store.recordEvents([event(lonely)], wants), 0);
    assert.equal(await prisma.webhookEvent.count({ where: { tenantId: lonely } }), 0);
    const tenant = uuidv7();
    const old = { ...event(tenant), occurredAt: new Date(Date.now() - 60_000) };
    await endpoint(tenant, ['payments.order.*']);
    assert.equal(await store.recordEvents([old], wants), 0, 'an earlier event is not delivered (replayWebhookEvents can send it)');
    assert.equal(await prisma.webhookEvent.count({ where: { tenantId: tenant } }), 1, 'but kept for replays');
  });

  it('claims at most the per-endpoint cap across claims; a lapsed lease is taken over and fences the old claim', async () => {
    const tenant = uuidv7();
    const ep = await endpoint(tenant, ['payments.order.settled']);
    for (let i = 0; i < 5; i++) await store.recordEvents([event(tenant)], wants);
    const first = (await store.claim(10, 2, 60_000)).filter((c) => c.endpoint.id === ep.id);
    const second = (await store.claim(10, 2, 60_000)).filter((c) => c.endpoint.id === ep.id);
    assert.equal(first.length, 2);
    assert.equal(second.length, 0, 'the cap counts claims held by anyone');
    // A claim whose lease lapsed (its worker died) is claimed again; the dead worker's late write is refused.
    const stale = await store.claim(10, 8, 1);
    await new Promise((r) => setTimeout(r, 20));
    const again = await store.claim(10, 8, 60_000);
    const taken = stale.find((s) => again.some((a) => a.delivery.id === s.delivery.id));
    assert.ok(taken, 'a lapsed lease is claimed again');
    const outcome = { at: new Date(), statusCode: 204, error: null, latencyMs: 1, status: 'SUCCEEDED' as const, nextAttemptAt: null };
    assert.equal(await store.recordAttempt(taken.delivery, outcome, true), false);
    assert.deepEqual(await store.attemptsOf([taken.delivery.id]), [], 'the stale claim wrote no attempt');
    assert.equal((await store.findById(taken.delivery.id))?.status, 'DELIVERING', 'nor the delivery');
    assert.equal(await store.recordAttempt(again.find((a) => a.delivery.id === taken.delivery.id)!.delivery, outcome, true), true);
    const [attempt] = await store.attemptsOf([taken.delivery.id]);
    assert.deepEqual([attempt?.number, attempt?.statusCode, attempt?.error, attempt?.latencyMs], [1, 204, null, 1]);
    const written = (await store.findById(taken.delivery.id))!;
    assert.deepEqual([written.status, written.attempts, written.roundAttempts, written.leaseUntil, written.lastStatusCode, written.deliveredAt], ['SUCCEEDED', 1, 1, null, 204, outcome.at]);
    await prisma.webhookDelivery.updateMany({ where: { tenantId: tenant }, data: { status: 'CANCELLED' } });
  });

  it('the worker delivers signed, retries a failing receiver, and gives up after the schedule', async () => {
    const tenant = uuidv7();
    const flaky = await endpoint(tenant, ['payments.order.settled'], { failFirst: 2 });
    const broken = await endpoint(tenant, ['payments.order.failed'], { failFirst: 100 });
    const w = worker();
    try {
      const ok = event(tenant);
      const bad = event(tenant, 'payments.order.failed');
      await store.recordEvents([ok, bad], wants);
      w.wake();
      await until('flaky delivered', async () => (await prisma.webhookDelivery.findFirst({ where: { eventId: ok.id } }))?.status === 'SUCCEEDED');
      await until('broken given up', async () => (await prisma.webhookDelivery.findFirst({ where: { eventId: bad.id } }))?.status === 'FAILED');
      assert.deepEqual(flaky.receiver.received.filter((r) => r.id === ok.id).map((r) => [r.verified, r.answered]), [[true, 500], [true, 500], [true, 204]]);
      const attempts = await prisma.webhookAttempt.findMany({ where: { deliveryId: (await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: bad.id } })).id }, orderBy: { number: 'asc' } });
      assert.deepEqual(attempts.map((a) => [a.number, a.statusCode, a.error]), [[1, 500, 'HTTP_STATUS'], [2, 500, 'HTTP_STATUS'], [3, 500, 'HTTP_STATUS']]);
      assert.equal(broken.receiver.received.length, 3);
      // The endpoint's health is written after the attempt that exhausted the delivery (its own
      // statement, under the endpoint's row lock), so it may land just after FAILED is seen.
      await until('broken counted as exhausted', async () => (await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: broken.id } })).exhaustedSinceSuccess > 0);
      const health = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: broken.id } });
      assert.equal(health.exhaustedSinceSuccess, 1);
      assert.equal(health.enabled, true, 'one exhausted delivery is not yet days of failure');
    } finally {
      await w.stop();
    }
  });

  it('a 410 disables the endpoint at once and tells the tenant other endpoints (webhook.endpoint.disabled)', async () => {
    const tenant = uuidv7();
    const gone = await endpoint(tenant, ['payments.order.settled'], { failFirst: 1, failStatus: 410 });
    const ops = await endpoint(tenant, ['webhook.endpoint.disabled']);
    const w = worker();
    try {
      await store.recordEvents([event(tenant)], wants);
      w.wake();
      const [notice] = await ops.receiver.waitFor((r) => r.some((x) => x.type === 'webhook.endpoint.disabled'), { timeoutMs: 20_000 });
      assert.equal(notice!.verified, true);
      const data = (JSON.parse(notice!.body) as { data: { endpointId: string; reason: string } }).data;
      assert.deepEqual([data.endpointId, data.reason], [gone.id, 'GONE']);
      const row = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: gone.id } });
      assert.deepEqual([row.enabled, row.disabledReason], [false, 'GONE']);
      // Nothing more is attempted on it: a new event is not even queued for it.
      await store.recordEvents([event(tenant)], wants);
      assert.equal(await prisma.webhookDelivery.count({ where: { endpointId: gone.id } }), 1);
    } finally {
      await w.stop();
    }
  });

  it('a secret the worker cannot open fails the attempt (SECRET_UNREADABLE) and sends nothing unsigned', async () => {
    const tenant = uuidv7();
    const ep = await endpoint(tenant, ['payments.order.settled']);
    const otherKeys = createPiiVault({ keys: { t2: generatePiiKey() }, activeKeyId: 't2', blindIndexKey: generatePiiKey() });
    const w = worker({ opener: otherKeys, retryPolicy: { delaysMs: [], jitter: 0 } });
    try {
      const e = event(tenant);
      await store.recordEvents([e], wants);
      w.wake();
      await until('given up', async () => (await prisma.webhookDelivery.findFirst({ where: { eventId: e.id } }))?.status === 'FAILED');
      const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: e.id } });
      assert.deepEqual([row.lastError, row.lastStatusCode], ['SECRET_UNREADABLE', null]);
      assert.equal(ep.receiver.received.length, 0);
    } finally {
      await w.stop();
    }
  });

  it('stores event bodies sealed (bound to tenant and event), delivers them byte for byte; one the keys cannot open fails (BODY_UNREADABLE)', async () => {
    const tenant = uuidv7();
    const ep = await endpoint(tenant, ['payments.order.settled']);
    const e = { ...event(tenant), body: '' };
    e.body = webhookBody(e.id, e.type, e.occurredAt, { tenantId: tenant, pixKey: 'maria@example.com' });
    await store.recordEvents([e], wants);
    const rows = await prisma.$queryRaw<{ body: string }[]>`SELECT body FROM webhooks.webhook_event WHERE tenant_id = ${tenant}::uuid AND id = ${e.id}::uuid`;
    const atRest = rows[0]!.body;
    assert.ok(atRest.startsWith('v1.') && !atRest.includes('maria'), 'no event content in clear at rest');
    assert.deepEqual(await store.bodiesOf([{ tenantId: tenant, eventId: e.id }]), [{ tenantId: tenant, id: e.id, body: e.body }]);
    // A sealed body copied onto another event does not open there (the context binds it).
    const moved = { ...event(tenant), body: '{}' };
    await store.recordEvents([moved], wants);
    await prisma.webhookEvent.update({ where: { tenantId_id: { tenantId: tenant, id: moved.id } }, data: { body: atRest } });
    assert.equal((await store.bodiesOf([{ tenantId: tenant, eventId: moved.id }]))[0]!.body, null);
    const w = worker({ retryPolicy: { delaysMs: [], jitter: 0 } });
    try {
      w.wake();
      const [got] = await ep.receiver.waitFor((r) => r.some((x) => x.id === e.id), { timeoutMs: 20_000 });
      assert.equal(got!.body, e.body, 'delivered exactly as built');
      assert.equal(got!.verified, true);
      await until('the moved one given up', async () => (await prisma.webhookDelivery.findFirst({ where: { eventId: moved.id } }))?.status === 'FAILED');
      const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: moved.id } });
      assert.deepEqual([row.lastError, row.lastStatusCode], ['BODY_UNREADABLE', null]);
      assert.equal(ep.receiver.received.filter((r) => r.id === moved.id).length, 0, 'nothing sent for it');
    } finally {
      await w.stop();
    }
  });

  it('retention deletes finished deliveries, their attempts and unreferenced events older than the cut, nothing pending', async () => {
    const tenant = uuidv7();
    await endpoint(tenant, ['payments.order.*']);
    const done = event(tenant);
    const waiting = event(tenant, 'payments.order.failed');
    await store.recordEvents([done, waiting], wants);
    const old = new Date(Date.now() - 40 * 24 * 3600_000);
    await prisma.webhookDelivery.updateMany({ where: { eventId: done.id }, data: { status: 'SUCCEEDED', createdAt: old } });
    await prisma.webhookDelivery.updateMany({ where: { eventId: waiting.id }, data: { createdAt: old, nextAttemptAt: new Date(Date.now() + 3600_000) } });
    await prisma.webhookEvent.updateMany({ where: { tenantId: tenant }, data: { createdAt: old } });
    const cut = new Date(Date.now() - 30 * 24 * 3600_000);
    while ((await store.prune(cut, 1000)) === 1000);
    assert.equal(await prisma.webhookDelivery.count({ where: { eventId: done.id } }), 0);
    assert.equal(await prisma.webhookEvent.count({ where: { tenantId: tenant, id: done.id } }), 0);
    assert.equal(await prisma.webhookDelivery.count({ where: { eventId: waiting.id } }), 1, 'a pending delivery stays');
    assert.equal(await prisma.webhookEvent.count({ where: { tenantId: tenant, id: waiting.id } }), 1, 'and so does its event');
  });
});
