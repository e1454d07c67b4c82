import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { connectEvents, decodeEvent, type EventBus } from '@baas/events';
import { createKeyCodeSender, IDENTITY_NOTIFY_STREAM_NAME, PIX_KEY_CODE_TEMPLATE } from '../../src/workers/key-code-sender';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('key code sender: identity\'s notification stream (real NATS)', () => {
  let bus: EventBus;
  let nc: NatsConnection;
  before(async () => {
    bus = await connectEvents({ url: NATS_URL, name: 'payments-key-code-sender-test' });
    // identity provisions it; the same definition here so the test runs without identity.
    await bus.ensureStream({ name: IDENTITY_NOTIFY_STREAM_NAME, subjects: ['identity.notify.>'], maxAgeMs: 24 * 3600_000, duplicateWindowMs: 2 * 60_000 });
    nc = await connect({ servers: NATS_URL });
  });
  after(async () => {
    await nc?.close();
    await bus?.close();
  });

  it('publishes the code as identity\'s sinks read a sign-in code: channel, destination, tenant, challengeId, code', async () => {
    const tenantId = randomUUID();
    const sub = nc.subscribe(`identity.notify.*.${tenantId}`, { max: 2 });
    await nc.flush();
    const sender = createKeyCodeSender({ bus });
    const keyId = randomUUID();
    const customerId = randomUUID();
    const expiresAt = new Date('2026-12-07T15:10:00Z');
    await sender.send({ tenantId, customerId, channel: 'EMAIL', to: 'ana@example.com', code: '654321', keyId, expiresAt });
    await sender.send({ tenantId, customerId, channel: 'SMS', to: '+5511987654321', code: '000123', keyId });
    const got = [];
    for await (const msg of sub) got.push({ subject: msg.subject, event: decodeEvent<Record<string, unknown>>(msg.data) });
    assert.deepEqual(got.map((m) => m.subject), [`identity.notify.email.${tenantId}`, `identity.notify.sms.${tenantId}`]);
    assert.equal(got[0]!.event.type, 'identity.notify');
    assert.deepEqual(got[0]!.event.data, { template: PIX_KEY_CODE_TEMPLATE, channel: 'EMAIL', to: 'ana@example.com', tenantId, customerId, challengeId: keyId, code: '654321', expiresAt: expiresAt.toISOString() });
    assert.equal(got[1]!.event.data.channel, 'SMS');
    assert.equal(got[1]!.event.data.to, '+5511987654321');
  });

  it('a failed publish throws, and its log line has neither the code nor the destination', async () => {
    const lines: unknown[] = [];
    const sender = createKeyCodeSender({
      bus: { publish: async () => { throw new Error('no stream'); } },
      logger: { warn: (...args: unknown[]) => void lines.push(args) } as never,
    });
    await assert.rejects(sender.send({ tenantId: randomUUID(), customerId: randomUUID(), channel: 'EMAIL', to: 'secret@example.com', code: '987654', keyId: randomUUID() }), /no stream/);
    assert.equal(lines.length, 1);
    const text = JSON.stringify(lines);
    assert.ok(!text.includes('987654') && !text.includes('secret@example.com'));
  });
});
