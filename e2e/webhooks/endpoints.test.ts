import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookEndpointDocument,
  WebhookEndpointDocument,
  WebhookEndpointsDocument,
  WebhookEventTypesDocument,
} from '@baas/sdk';
import { errorCode, startRiskWorld, type RiskWorld, type Tenant } from '../risk/risk-world';

/*
 * Webhook endpoint management through the gateway (issue 14, part 1). The test platform runs with
 * NODE_ENV=test, so WEBHOOKS_ALLOW_INSECURE_URLS defaults to true: http and loopback URLs are
 * accepted (the local receiver), private and link-local addresses never are.
 */

const details = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (res.errors?.[0]?.extensions?.details ?? {}) as { field?: string; reason?: string };

describe('webhook endpoints through the gateway', { timeout: 180_000 }, () => {
  let w: RiskWorld;
  let ta: Tenant;
  let tb: Tenant;
  let writerA: Identity;
  let writerB: Identity;

  before(async () => {
    w = await startRiskWorld();
    ta = await w.newTenant();
    tb = await w.newTenant();
    // Tenant backends holding the new scope (API clients' tokens carry what identity granted them).
    writerA = { ...ta.client, scopes: [...ta.client.scopes, 'webhooks:write'] };
    writerB = { ...tb.client, scopes: [...tb.client.scopes, 'webhooks:write'] };
  });
  after(async () => {
    await w?.stop();
  });

  const input = (over: Record<string, unknown> = {}) => ({ id: uuidv7(), url: 'http://127.0.0.1:9/hook', eventTypes: ['payments.order.*', 'ledger.transfer.posted'], ...over });
  const nothingAt = async (id: string) => assert.equal((await w.ok(WebhookEndpointDocument, { id }, w.operator)).webhookEndpoint, null);

  it('creates an endpoint: the whsec_ secret shown once, then only hints; a replay answers secret null', async () => {
    const req = input({ description: 'orders and transfers' });
    const made = (await w.ok(CreateWebhookEndpointDocument, { input: req }, writerA)).createWebhookEndpoint;
    assert.match(made.secret!, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    assert.equal(made.endpoint.id, req.id);
    assert.equal(made.endpoint.tenantId, ta.id);
    assert.deepEqual(made.endpoint.eventTypes, req.eventTypes);
    assert.equal(made.endpoint.enabled, true);
    assert.deepEqual(made.endpoint.secretHints.map((h) => h.hint), [`${made.secret!.slice(0, 10)}…`]);
    const replay = (await w.ok(CreateWebhookEndpointDocument, { input: req }, writerA)).createWebhookEndpoint;
    assert.equal(replay.secret, null);
    assert.equal(replay.endpoint.id, req.id);
    const read = (await w.ok(WebhookEndpointDocument, { id: req.id }, writerA)).webhookEndpoint!;
    assert.equal(JSON.stringify(read).includes(made.secret!.slice(10)), false, 'the secret is never readable again');
    const reused = await w.request(CreateWebhookEndpointDocument, { input: { ...req, url: 'http://127.0.0.1:9/other' } }, writerA);
    assert.equal(errorCode(reused), 'IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a private address, a malformed URL and an unknown event type with coded errors, writing nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ url: 'http://10.0.0.1/hook' }, 'url', 'PRIVATE_ADDRESS'],
      [{ url: 'http://169.254.169.254/latest/meta-data' }, 'url', 'PRIVATE_ADDRESS'],
      [{ url: 'https://[fd00::1]/hook' }, 'url', 'PRIVATE_ADDRESS'],
      [{ url: 'not a url' }, 'url', 'MALFORMED_URL'],
      [{ url: 'https://user:pw@hooks.example.com/' }, 'url', 'CREDENTIALS_IN_URL'],
      [{ eventTypes: ['payments.order.exploded'] }, 'eventTypes', 'UNKNOWN_EVENT_TYPE'],
      [{ eventTypes: ['payments..order'] }, 'eventTypes', 'MALFORMED_EVENT_PATTERN'],
    ];
    for (const [over, field, reason] of cases) {
      const req = input(over);
      const res = await w.request(CreateWebhookEndpointDocument, { input: req }, writerA);
      assert.equal(errorCode(res), 'BAD_USER_INPUT', JSON.stringify(res.errors));
      assert.deepEqual([details(res).field, details(res).reason], [field, reason], JSON.stringify(over));
      await nothingAt(req.id);
    }
  });

  it('keeps tenants apart: another tenant, a customer, a client without the scope are refused', async () => {
    const { createWebhookEndpoint: made } = await w.ok(CreateWebhookEndpointDocument, { input: input() }, writerA);
    const id = made.endpoint.id;
    for (const res of [
      await w.request(WebhookEndpointDocument, { id }, writerB),
      await w.request(WebhookEndpointDocument, { id: uuidv7() }, writerB),
      await w.request(UpdateWebhookEndpointDocument, { id, input: { enabled: false } }, writerB),
      await w.request(RotateWebhookSecretDocument, { id }, writerB),
      await w.request(DeleteWebhookEndpointDocument, { id }, writerB),
      await w.request(WebhookEndpointsDocument, { tenantId: ta.id }, writerB),
      await w.request(CreateWebhookEndpointDocument, { input: { ...input(), id } }, writerB),
      await w.request(CreateWebhookEndpointDocument, { input: input() }, ta.client),
      await w.request(UpdateWebhookEndpointDocument, { id, input: { enabled: false } }, w.operator),
    ]) {
      assert.equal(errorCode(res), 'FORBIDDEN', JSON.stringify(res.errors));
    }
    const customer = await w.newCustomer(ta);
    assert.equal(errorCode(await w.request(WebhookEndpointDocument, { id }, customer.identity)), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(WebhookEndpointsDocument, {}, customer.identity)), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(WebhookEndpointDocument, { id }, null)), 'UNAUTHENTICATED');
    // Nothing changed; its tenant and the operators still read it.
    assert.equal((await w.ok(WebhookEndpointDocument, { id }, writerA)).webhookEndpoint!.enabled, true);
    assert.equal((await w.ok(WebhookEndpointDocument, { id }, w.operator)).webhookEndpoint!.tenantId, ta.id);
    const reader = { ...ta.client, scopes: [...ta.client.scopes, 'webhooks:read'] };
    const page = (await w.ok(WebhookEndpointsDocument, { first: 100 }, reader)).webhookEndpoints;
    assert.ok(page.items.some((e) => e.id === id));
    assert.ok(page.items.every((e) => e.tenantId === ta.id));
    const types = (await w.ok(WebhookEventTypesDocument, {}, reader)).webhookEventTypes.map((t) => t.type);
    assert.ok(types.includes('payments.order.settled') && types.includes('webhook.ping'));
    assert.ok(!types.includes('identity.events.customer.identifiers'));
  });

  it('updates, rotates with an overlap (old and new secret both listed) and deletes', async () => {
    const { createWebhookEndpoint: made } = await w.ok(CreateWebhookEndpointDocument, { input: input() }, writerA);
    const id = made.endpoint.id;
    const updated = (await w.ok(UpdateWebhookEndpointDocument, { id, input: { eventTypes: ['webhook.ping'], enabled: false, description: 'paused' } }, writerA)).updateWebhookEndpoint;
    assert.deepEqual([updated.eventTypes, updated.enabled, updated.description], [['webhook.ping'], false, 'paused']);
    const bad = await w.request(UpdateWebhookEndpointDocument, { id, input: { url: 'http://192.168.1.1/' } }, writerA);
    assert.deepEqual([errorCode(bad), details(bad).reason], ['BAD_USER_INPUT', 'PRIVATE_ADDRESS']);

    const rotated = (await w.ok(RotateWebhookSecretDocument, { id, overlapSeconds: 3600 }, writerA)).rotateWebhookSecret;
    assert.match(rotated.secret, /^whsec_/);
    assert.notEqual(rotated.secret, made.secret);
    assert.ok(rotated.previousSecretsExpireAt);
    assert.deepEqual(rotated.endpoint.secretHints.map((h) => h.hint), [`${rotated.secret.slice(0, 10)}…`, `${made.secret!.slice(0, 10)}…`]);
    assert.equal(rotated.endpoint.secretHints[0]!.expiresAt, null);
    assert.equal(rotated.endpoint.secretHints[1]!.expiresAt, rotated.previousSecretsExpireAt);
    const tooLong = await w.request(RotateWebhookSecretDocument, { id, overlapSeconds: 8 * 24 * 3600 }, writerA);
    assert.equal(errorCode(tooLong), 'BAD_USER_INPUT');

    const deleted = (await w.ok(DeleteWebhookEndpointDocument, { id }, writerA)).deleteWebhookEndpoint;
    assert.equal(deleted.id, id);
    assert.equal((await w.ok(DeleteWebhookEndpointDocument, { id }, writerA)).deleteWebhookEndpoint.deletedAt, deleted.deletedAt);
    assert.equal(errorCode(await w.request(WebhookEndpointDocument, { id }, writerA)), 'FORBIDDEN');
    await nothingAt(id);
    const page = (await w.ok(WebhookEndpointsDocument, { first: 100 }, writerA)).webhookEndpoints;
    assert.ok(!page.items.some((e) => e.id === id));
  });
});
