import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createChallengeCodeSender, displayAmount } from '../../src/use-cases/challenge-code-sender';

const notification = { tenantId: 't-1', customerId: 'c-1', challengeId: 'ch-1', code: '042042', expiresAt: new Date('2026-12-06T04:05:00Z'), last4: '4242', merchant: 'SHOP', amount: 25000n, currency: 'BRL' };

describe('createChallengeCodeSender', () => {
  it('hands identity the code, its challenge and what the cardholder is shown; never an address', async () => {
    const sent: Record<string, unknown>[] = [];
    const sender = createChallengeCodeSender({ identity: { sendCustomerCode: async (v) => void sent.push(v) }, exponentOf: () => 2 });
    await sender.send(notification);
    assert.deepEqual(sent, [{ tenantId: 't-1', customerId: 'c-1', purpose: 'card-3ds-code', reference: 'ch-1', code: '042042', expiresAt: notification.expiresAt, summary: 'BRL 250.00 at SHOP, card ending 4242' }]);
  });

  it('identity failing throws (no challenge) and logs the challenge id, never the code', async () => {
    const logged: unknown[] = [];
    const sender = createChallengeCodeSender({ identity: { sendCustomerCode: async () => { throw new Error('identity down'); } }, exponentOf: () => 2, logger: { warn: (o) => void logged.push(o) } });
    await assert.rejects(sender.send(notification), /identity down/);
    assert.equal(JSON.stringify(logged).includes('042042'), false);
    assert.match(JSON.stringify(logged), /ch-1/);
  });

  it('amounts in the currency exponent', () => {
    assert.equal(displayAmount(5n, 'BRL', 2), 'BRL 0.05');
    assert.equal(displayAmount(123456n, 'BRL', 2), 'BRL 1234.56');
    assert.equal(displayAmount(500n, 'JPY', 0), 'JPY 500');
    assert.equal(displayAmount(1n, 'BHD', 3), 'BHD 0.001');
  });
});
