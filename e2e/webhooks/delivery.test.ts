import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import {
  CreateKycApplicationDocument,
  SubmitKycApplicationDocument,
  IssueCardDocument,
  PayPixDocument,
  PingWebhookEndpointDocument,
  RegisterPixKeyDocument,
  ReplayWebhookDeliveryDocument,
  ReplayWebhookEventsDocument,
  RotateWebhookSecretDocument,
  WebhookDeliveriesDocument,
  WebhookDeliveryDocument,
  type WebhookDeliveriesQuery,
} from '@baas/sdk';
import { verifyWebhook } from '@baas/webhooks';
import { errorCode, type Tenant } from '../risk/risk-world';
import { startWebhooksWorld, type WebhooksWorld } from './webhooks-world';

/*
 * Issue 14's delivery path through the gateway: domain events (the ledger's and payments' outboxes,
 * relayed to JetStream) become signed deliveries to a tenant's endpoint, retried, logged, replayed.
 */

type Body = { id: string; type: string; timestamp: string; data: Record<string, unknown> };
const parse = (body: string) => JSON.parse(body) as Body;

describe('webhook deliveries through the gateway', { timeout: 240_000 }, () => {
  let w: WebhooksWorld;
  let ta: Tenant;
  let tb: Tenant;

  before(async () => {
    w = await startWebhooksWorld();
    ta = await w.newTenant();
    tb = await w.newTenant();
  });
  after(async () => {
    await w?.stop();
  });

  it('a transfer reaches the tenant endpoint signed (Standard Webhooks), with only the tenant own accounts, and is logged', async () => {
    const ep = await w.endpoint(ta, ['ledger.transfer.*']);
    const other = await w.endpoint(tb, ['>']);
    const alice = await w.newCustomer(ta);
    const from = await w.openAccount(alice, 50_000n);
    const to = await w.openAccount(alice);
    const transferId = uuidv7();
    const res = await w.transfer(alice.identity, { id: transferId, fromAccountId: from.id, toAccountId: to.id, amount: 1_234n });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));

    const got = await ep.receiver.waitFor((r) => r.some((x) => x.verified && x.type === 'ledger.transfer.posted' && x.body.includes(to.ledgerAccountId)), { timeoutMs: 30_000 });
    const posted = got.find((x) => x.type === 'ledger.transfer.posted' && x.body.includes(to.ledgerAccountId))!;
    assert.equal(posted.verified, true, posted.error ?? '');
    // Independently of the receiver's library: the package's own verifier agrees.
    assert.deepEqual(verifyWebhook([ep.secret], posted.body, { 'webhook-id': posted.id!, 'webhook-timestamp': String(posted.timestamp), 'webhook-signature': posted.signature! }), { ok: true });
    const body = parse(posted.body);
    assert.equal(body.id, posted.id);
    assert.equal(body.type, 'ledger.transfer.posted');
    const transfer = body.data.transfer as { amount: string; currency: string; creditAccountId: string };
    assert.equal(transfer.amount, '1234', 'money is a decimal string of minor units');
    assert.equal(transfer.currency, 'BRL');
    for (const a of body.data.accounts as { tenantId: string }[]) assert.equal(a.tenantId, ta.id, 'only the tenant own accounts');

    // The log: SUCCEEDED after one attempt answered 204, with the body as signed.
    const log = await w.deliveries(ta, ep.id);
    const row = log.find((d) => d.eventId === posted.id)!;
    assert.equal(row.status, 'SUCCEEDED');
    assert.equal(row.attemptCount, 1);
    assert.equal(row.lastStatusCode, 204);
    // Pagination: pages of one, newest first, cover the log without repeats.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: WebhookDeliveriesQuery['webhookDeliveries'] = (await w.ok(WebhookDeliveriesDocument, { endpointId: ep.id, first: 1, after }, w.writer(ta))).webhookDeliveries;
      seen.push(...page.items.map((d) => d.id));
      if (!page.hasNextPage) break;
      after = page.endCursor ?? null;
    }
    assert.deepEqual(seen, log.map((d) => d.id));
    assert.ok(seen.length >= 2);
    const one = (await w.ok(WebhookDeliveryDocument, { id: row.id }, w.writer(ta))).webhookDelivery!;
    assert.equal(one.payload, posted.body);
    assert.equal(one.attempts.length, 1);
    // Another tenant's endpoint heard nothing of it, and may not read A's log.
    assert.equal(other.receiver.received.some((x) => x.body.includes(to.ledgerAccountId)), false);
    assert.equal(errorCode(await w.request(WebhookDeliveryDocument, { id: row.id }, w.writer(tb))), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(WebhookDeliveriesDocument, { endpointId: ep.id }, w.writer(tb))), 'FORBIDDEN');
  });

  it('a receiver that fails gets the delivery on a later attempt; the log shows every attempt', async () => {
    // A tenant of its own, its endpoint made after the accounts were funded: the first two
    // deliveries it gets are the transfer's (an endpoint receives only what occurs after it is made).
    const tc = await w.newTenant();
    const alice = await w.newCustomer(tc);
    const from = await w.openAccount(alice, 50_000n);
    const to = await w.openAccount(alice);
    const ep = await w.endpoint(tc, ['ledger.transfer.posted'], { failFirst: 2 });
    await w.transfer(alice.identity, { fromAccountId: from.id, toAccountId: to.id, amount: 77n });
    const got = await ep.receiver.waitFor((r) => r.some((x) => x.verified && x.answered === 204 && x.body.includes(to.ledgerAccountId)), { timeoutMs: 30_000 });
    const ok = got.find((x) => x.answered === 204 && x.body.includes(to.ledgerAccountId))!;
    const sameEvent = ep.receiver.received.filter((x) => x.id === ok.id);
    assert.ok(sameEvent.length >= 2, 'retried with the same webhook-id');
    const row = (await w.deliveries(tc, ep.id)).find((d) => d.eventId === ok.id)!;
    const detail = (await w.ok(WebhookDeliveryDocument, { id: row.id }, w.writer(tc))).webhookDelivery!;
    assert.equal(detail.status, 'SUCCEEDED');
    assert.deepEqual(detail.attempts.map((a) => a.statusCode).slice(-1), [204]);
    assert.ok(detail.attempts.filter((a) => a.statusCode === 500).every((a) => a.error === 'HTTP_STATUS'));
  });

  it('a replay redelivers with the same event id, once per idempotency key; events since a time replay to a new endpoint', async () => {
    const ep = await w.endpoint(ta, ['ledger.transfer.posted']);
    const alice = await w.newCustomer(ta);
    const from = await w.openAccount(alice, 50_000n);
    const to = await w.openAccount(alice);
    const since = new Date(Date.now() - 1000).toISOString();
    await w.transfer(alice.identity, { fromAccountId: from.id, toAccountId: to.id, amount: 5n });
    const [first] = await ep.receiver.waitFor((r) => r.some((x) => x.verified && x.body.includes(to.ledgerAccountId)), { timeoutMs: 30_000 });
    const eventId = ep.receiver.received.find((x) => x.body.includes(to.ledgerAccountId))!.id!;
    const row = (await w.deliveries(ta, ep.id)).find((d) => d.eventId === eventId)!;
    const key = uuidv7();
    const replayed = await w.ok(ReplayWebhookDeliveryDocument, { id: row.id, idempotencyKey: key }, w.writer(ta));
    assert.equal(replayed.replayWebhookDelivery.eventId, eventId);
    await ep.receiver.waitFor((r) => r.filter((x) => x.id === eventId && x.verified).length >= 2, { timeoutMs: 20_000 });
    await w.ok(ReplayWebhookDeliveryDocument, { id: row.id, idempotencyKey: key }, w.writer(ta));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(ep.receiver.received.filter((x) => x.id === eventId).length, 2, 'the same key replays nothing twice');
    assert.ok(first);

    // A new endpoint gets the past events it subscribes to by replaying since a time.
    const late = await w.endpoint(ta, ['ledger.transfer.posted']);
    const r = await w.ok(ReplayWebhookEventsDocument, { input: { endpointId: late.id, since, idempotencyKey: uuidv7() } }, w.writer(ta));
    assert.ok(r.replayWebhookEvents.replayed >= 1);
    await late.receiver.waitFor((got) => got.some((x) => x.id === eventId && x.verified), { timeoutMs: 20_000 });
    // Coded refusals, nothing written: a time outside the window, another tenant's endpoint, a reused key.
    assert.equal(errorCode(await w.request(ReplayWebhookEventsDocument, { input: { endpointId: late.id, since: '2020-01-01T00:00:00Z', idempotencyKey: uuidv7() } }, w.writer(ta))), 'BAD_USER_INPUT');
    assert.equal(errorCode(await w.request(ReplayWebhookEventsDocument, { input: { endpointId: late.id, since, idempotencyKey: uuidv7() } }, w.writer(tb))), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(ReplayWebhookDeliveryDocument, { id: row.id, idempotencyKey: uuidv7() }, w.writer(tb))), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(ReplayWebhookEventsDocument, { input: { endpointId: ep.id, since, idempotencyKey: key } }, w.writer(ta))), 'IDEMPOTENCY_KEY_REUSED');
  });

  it('rotating the secret keeps deliveries verifiable with either secret during the overlap; ping reaches the endpoint', async () => {
    const ep = await w.endpoint(ta, ['ledger.transfer.posted']);
    const rotated = (await w.ok(RotateWebhookSecretDocument, { id: ep.id, overlapSeconds: 3600 }, w.writer(ta))).rotateWebhookSecret;
    ep.receiver.setSecrets([rotated.secret]);
    const ping = (await w.ok(PingWebhookEndpointDocument, { id: ep.id, idempotencyKey: uuidv7() }, w.writer(ta))).pingWebhookEndpoint;
    assert.equal(ping.eventType, 'webhook.ping');
    const [got] = (await ep.receiver.waitFor((r) => r.some((x) => x.id === ping.eventId), { timeoutMs: 20_000 })).filter((x) => x.id === ping.eventId);
    assert.equal(got!.verified, true, 'verifies with the new secret');
    const headers = { 'webhook-id': got!.id!, 'webhook-timestamp': String(got!.timestamp), 'webhook-signature': got!.signature! };
    assert.deepEqual(verifyWebhook([ep.secret], got!.body, headers), { ok: true }, 'and with the old one during the overlap');
    assert.equal(got!.signature!.split(' ').length, 2, 'one signature per live secret');
  });

  it('accounts events (accounts.>) reach the tenant: accounts.account.opened for a new account, accounts.transfer.completed for a transfer', async () => {
    const ep = await w.endpoint(ta, ['accounts.>']);
    const other = await w.endpoint(tb, ['accounts.>']);
    const alice = await w.newCustomer(ta);
    const from = await w.openAccount(alice, 10_000n);
    const to = await w.openAccount(alice);
    const transferId = uuidv7();
    const res = await w.transfer(alice.identity, { id: transferId, fromAccountId: from.id, toAccountId: to.id, amount: 777n });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const got = await ep.receiver.waitFor(
      (r) => r.some((x) => x.verified && x.type === 'accounts.transfer.completed' && x.body.includes(transferId)) && r.some((x) => x.verified && x.type === 'accounts.account.opened' && x.body.includes(to.id)),
      { timeoutMs: 30_000 },
    );
    const done = parse(got.find((x) => x.type === 'accounts.transfer.completed' && x.body.includes(transferId))!.body);
    assert.deepEqual([done.data.tenantId, done.data.fromAccountId, done.data.toAccountId, done.data.amount, done.data.status], [ta.id, from.id, to.id, '777', 'COMPLETED']);
    const opened = parse(got.find((x) => x.type === 'accounts.account.opened' && x.body.includes(to.id))!.body);
    assert.equal(opened.data.tenantId, ta.id);
    assert.ok(other.receiver.received.every((x) => !x.body.includes(transferId) && !x.body.includes(to.id)), 'another tenant gets none of it');
  });

  it('a card issued reaches its tenant as cards.card.issued, with last4 and never the PAN', async () => {
    const ep = await w.endpoint(ta, ['cards.card.*']);
    const alice = await w.newCustomer(ta);
    const account = await w.openAccount(alice);
    const cardId = uuidv7();
    const issued = await w.ok(IssueCardDocument, { input: { id: cardId, accountId: account.id, form: 'VIRTUAL' } }, alice.identity);
    const got = await ep.receiver.waitFor((r) => r.some((x) => x.verified && x.type === 'cards.card.issued' && x.body.includes(cardId)), { timeoutMs: 30_000 });
    const raw = got.find((x) => x.type === 'cards.card.issued' && x.body.includes(cardId))!.body;
    const body = parse(raw);
    assert.deepEqual([body.data.tenantId, body.data.cardId, body.data.last4], [ta.id, cardId, issued.issueCard.last4]);
    // No run of 12 or more digits (a PAN is 16) anywhere in the body.
    assert.doesNotMatch(raw, /\d{12,}/, 'no PAN in the event');
  });

  it('a KYC application submitted reaches its tenant as kyc.application.submitted, with ids and codes only', async () => {
    const ep = await w.endpoint(ta, ['kyc.application.*']);
    const bia = await w.newCustomer(ta);
    const applicant = { fullName: 'Beatriz Quintela Souza', cpf: '52998224725', dateOfBirth: '1993-08-21' };
    const app = (await w.ok(CreateKycApplicationDocument, { input: { id: uuidv7(), applicant } }, bia.identity)).createKycApplication;
    await w.ok(SubmitKycApplicationDocument, { id: app.id }, bia.identity);
    const got = await ep.receiver.waitFor((r) => r.some((x) => x.verified && x.type === 'kyc.application.submitted' && x.body.includes(app.id)), { timeoutMs: 30_000 });
    const raw = got.find((x) => x.type === 'kyc.application.submitted' && x.body.includes(app.id))!.body;
    const body = parse(raw);
    assert.deepEqual([body.data.tenantId, body.data.customerId, body.data.applicationId], [ta.id, bia.id, app.id]);
    for (const pii of ['Beatriz', 'Quintela', '52998224725', '529.982', '1993-08-21']) assert.ok(!raw.includes(pii), `no ${pii} in the event`);
  });

  it('a PIX payment that settles reaches the payer tenant as payments.order.settled', async () => {
    const ep = await w.endpoint(ta, ['payments.order.settled']);
    const alice = await w.newCustomer(ta);
    const bob = await w.newCustomer(tb);
    const aAcc = await w.openAccount(alice, 100_000n);
    const bAcc = await w.openAccount(bob);
    const key = await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: bAcc.id, keyType: 'EVP' } }, bob.identity);
    const orderId = uuidv7();
    const paid = await w.request(PayPixDocument, { input: { id: orderId, accountId: aAcc.id, key: key.registerPixKey.key, amount: '2500', waitMs: 8000 } }, alice.identity);
    assert.equal(paid.data?.payPix.state, 'SETTLED', JSON.stringify(paid.errors));
    const got = await ep.receiver.waitFor((r) => r.some((x) => x.verified && x.body.includes(orderId)), { timeoutMs: 30_000 });
    const body = parse(got.find((x) => x.body.includes(orderId))!.body);
    assert.equal(body.type, 'payments.order.settled');
    assert.equal(body.data.tenantId, ta.id);
    assert.equal(body.data.amount, '2500');
  });
});
