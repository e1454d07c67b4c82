import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliverWebhook, generateSigningSecret, signWebhook, type UrlPolicy } from '@baas/webhooks';
import { startWebhookReceiver } from '../src/index';

const local: UrlPolicy = { allowHttp: true, allowLoopback: true };
const event = (id: string, type = 'payments.order.settled') => JSON.stringify({ id, type, occurredAt: '2026-12-05T12:00:00.000Z', data: { orderId: 'o1', amount: '12345' } });

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  await res.arrayBuffer();
  return res.status;
}

test('a correctly signed delivery is verified, recorded and answered 2xx', async () => {
  const secret = generateSigningSecret();
  const receiver = await startWebhookReceiver({ secrets: [secret] });
  try {
    const body = event('evt_a');
    const r = await deliverWebhook({ url: receiver.url, secrets: [secret], id: 'evt_a', body, policy: local, timeoutMs: 5_000 });
    assert.deepEqual({ ok: r.ok, status: r.status }, { ok: true, status: 204 });
    const [got] = receiver.received;
    assert.equal(receiver.received.length, 1);
    assert.deepEqual({ id: got!.id, type: got!.type, verified: got!.verified, body: got!.body, answered: got!.answered, path: got!.path }, { id: 'evt_a', type: 'payments.order.settled', verified: true, body, answered: 204, path: '/webhooks' });
    assert.ok(Math.abs(got!.timestamp! - Date.now() / 1000) < 60);
  } finally {
    await receiver.close();
  }
});

test('a bad, foreign or missing signature is answered 400 and recorded unverified', async () => {
  const secret = generateSigningSecret();
  const receiver = await startWebhookReceiver({ secrets: [secret] });
  try {
    const body = event('evt_b');
    const good = signWebhook([secret], { id: 'evt_b', timestamp: new Date(), body });
    assert.equal(await post(receiver.url, `${body} `, good), 400, 'body changed after signing');
    assert.equal(await post(receiver.url, body, signWebhook([generateSigningSecret()], { id: 'evt_b', timestamp: new Date(), body })), 400, 'another secret');
    assert.equal(await post(receiver.url, body, signWebhook([secret], { id: 'evt_b', timestamp: new Date(Date.now() - 10 * 60_000), body })), 400, 'too old');
    assert.equal(await post(receiver.url, body, {}), 400, 'no headers');
    assert.equal(await post(receiver.url, body, good), 204);
    assert.deepEqual(receiver.received.map((r) => [r.verified, r.answered]), [[false, 400], [false, 400], [false, 400], [false, 400], [true, 204]]);
    assert.match(receiver.received[2]!.error!, /too old/);
    assert.deepEqual(receiver.verified().map((r) => r.id), ['evt_b']);
  } finally {
    await receiver.close();
  }
});

test('rotation: a receiver on the old secret, then on the new one, verifies deliveries signed with both', async () => {
  const oldSecret = generateSigningSecret();
  const newSecret = generateSigningSecret();
  const receiver = await startWebhookReceiver({ secrets: [oldSecret] });
  try {
    const send = (id: string, secrets: string[]) => deliverWebhook({ url: receiver.url, secrets, id, body: event(id), policy: local, timeoutMs: 5_000 });
    assert.equal((await send('evt_r1', [newSecret, oldSecret])).status, 204);
    receiver.setSecrets([newSecret]);
    assert.equal((await send('evt_r2', [newSecret, oldSecret])).status, 204);
    assert.equal((await send('evt_r3', [newSecret])).status, 204);
    assert.equal((await send('evt_r4', [oldSecret])).status, 400, 'the old secret alone, after the receiver moved on');
  } finally {
    await receiver.close();
  }
});

test('failFirst: the first N verified deliveries get 500, then 2xx; failNext sets it again with any status', async () => {
  const secret = generateSigningSecret();
  const receiver = await startWebhookReceiver({ secrets: [secret], failFirst: 2 });
  try {
    const send = () => deliverWebhook({ url: receiver.url, secrets: [secret], id: 'evt_f', body: event('evt_f'), policy: local, timeoutMs: 5_000 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send()).status);
    assert.deepEqual(statuses, [500, 500, 204]);
    receiver.failNext(1, 503);
    assert.deepEqual([(await send()).status, (await send()).status], [503, 204]);
    assert.ok(receiver.received.every((r) => r.verified && r.id === 'evt_f'), 'the same event id on every attempt');
  } finally {
    await receiver.close();
  }
});

test('hang: deliveries are recorded but never answered (the sender times out); setHang(false) answers again', async () => {
  const secret = generateSigningSecret();
  const receiver = await startWebhookReceiver({ secrets: [secret], hang: true });
  try {
    const send = (timeoutMs: number) => deliverWebhook({ url: receiver.url, secrets: [secret], id: 'evt_h', body: event('evt_h'), policy: local, timeoutMs });
    const r = await send(200);
    assert.deepEqual({ status: r.status, error: r.error }, { status: null, error: 'TIMEOUT' });
    await receiver.waitFor((got) => got.length === 1);
    assert.equal(receiver.received[0]!.answered, null);
    assert.equal(receiver.received[0]!.verified, true);
    receiver.setHang(false);
    assert.equal((await send(5_000)).status, 204);
  } finally {
    await receiver.close();
  }
});

test('waitFor polls up to its deadline; other methods and oversized bodies are refused', async () => {
  const receiver = await startWebhookReceiver({ secrets: [generateSigningSecret()] });
  try {
    await assert.rejects(receiver.waitFor((got) => got.length > 0, { timeoutMs: 100 }), /not met within 100 ms/);
    const get = await fetch(receiver.url);
    assert.equal(get.status, 405);
    await get.arrayBuffer();
    assert.equal(await post(receiver.url, 'x'.repeat(1024 * 1024 + 1), {}).catch(() => 413), 413);
    assert.equal(receiver.received.length, 0);
    receiver.clear();
  } finally {
    await receiver.close();
  }
});
