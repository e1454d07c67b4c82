import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { riskRail, riskScoreInput } from '../src';

describe('risk score input (every rail client asks risk the same way)', () => {
  it('scores the rails the model knows as themselves and the others as transfers', () => {
    for (const rail of ['TRANSFER', 'FX', 'PIX', 'TED', 'WIRE', 'CARD']) assert.equal(riskRail(rail), rail);
    for (const rail of ['BOLETO', 'BOOK', 'ANYTHING']) assert.equal(riskRail(rail), 'TRANSFER');
  });
  it('maps an outflow: amount as a decimal string, absent parties as null', () => {
    const input = riskScoreInput({ id: 'o1', tenantId: 't', customerId: 'c', accountId: 'a', rail: 'BOLETO', amount: 9_223_372_036_854_775_807n, currency: 'BRL', createdAt: new Date('2026-12-05T12:00:00Z') });
    assert.deepEqual(input, {
      movementId: 'o1', tenantId: 't', customerId: 'c', rail: 'TRANSFER', payerAccountId: 'a', payeeAccountId: null, payerLedgerAccountId: null, payeeLedgerAccountId: null,
      amount: '9223372036854775807', currency: 'BRL', occurredAt: '2026-12-05T12:00:00.000Z', deviceId: null, ip: null,
    });
  });
});
