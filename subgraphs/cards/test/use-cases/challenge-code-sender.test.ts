import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createChallengeCodeSender } from '../../src/use-cases/challenge-code-sender';

const notification = { tenantId: 't-1', customerId: 'c-1', challengeId: 'ch-1', code: '042042', expiresAt: new Date('2026-12-06T04:05:00Z'), last4: '4242', merchant: 'SHOP', amount: 25000n, currency: 'BRL' };

describe('createChallengeCodeSender', () => {
  it("publishes identity's notification shape on identity.notify.<channel>.<tenant>, expecting IDENTITY_NOTIFY", async () => {
    const published: { subject: string; event: { data: Record<string, unknown> }; opts: unknown }[] = [];
    const bus = { publish: async (subject: string, event: unknown, opts: unknown) => void published.push({ subject, event: event as { data: Record<string, unknown> }, opts }) };
    const sender = createChallengeCodeSender({ bus: bus as never, destination: async () => ({ channel: 'SMS', to: '+5511999990000' }) });
    await sender.send(notification);
    assert.equal(published.length, 1);
    assert.equal(published[0]!.subject, 'identity.notify.sms.t-1');
    assert.deepEqual(published[0]!.opts, { expectedStream: 'IDENTITY_NOTIFY' });
    assert.deepEqual(published[0]!.event.data, {
      template: 'card-3ds-code', channel: 'SMS', to: '+5511999990000', tenantId: 't-1', customerId: 'c-1', challengeId: 'ch-1', code: '042042',
      expiresAt: '2026-12-06T04:05:00.000Z', last4: '4242', merchant: 'SHOP', amount: '25000', currency: 'BRL',
    });
  });

  it('a failed publish throws and logs the challenge id, never the code; no destination throws', async () => {
    const logged: unknown[] = [];
    const bus = { publish: async () => { throw new Error('nats down'); } };
    const sender = createChallengeCodeSender({ bus: bus as never, destination: async () => ({ channel: 'EMAIL', to: 'a@b.example' }), logger: { warn: (o) => void logged.push(o) } });
    await assert.rejects(sender.send(notification), /nats down/);
    assert.equal(JSON.stringify(logged).includes('042042'), false);
    assert.match(JSON.stringify(logged), /ch-1/);
    const nowhere = createChallengeCodeSender({ bus: bus as never, destination: async () => null });
    await assert.rejects(nowhere.send(notification), /no destination/);
  });
});
