import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RAIL_SUBJECTS,
  decodeMessage,
  encodeMessage,
  isEndToEndIdShape,
  newEndToEndId,
  parseRailEvent,
  railEventType,
  railSubjects,
  railsEventsStream,
  submitPaymentSchema,
} from '../src/index';

const party = { name: 'X', ispb: '60746948' };
const submit = {
  endToEndId: 'E99999999202612050910abcdefghijk',
  rail: 'PIX',
  kind: 'PAYMENT',
  amount: '12345',
  currency: 'BRL',
  payer: { ...party, ispb: '99999999' },
  payee: party,
  requestedAt: '2026-12-05T09:10:00.000Z',
};

describe('@baas/rails', () => {
  it('names the production subjects and stream', () => {
    assert.equal(RAIL_SUBJECTS.submit, 'rails.submit');
    assert.equal(RAIL_SUBJECTS.inquire, 'rails.inquire');
    assert.equal(RAIL_SUBJECTS.simulateIncoming, 'rails.sandbox.incoming');
    assert.equal(RAIL_SUBJECTS.simulateReturn, 'rails.sandbox.return');
    assert.equal(RAIL_SUBJECTS.event.settled, 'rails.events.settled');
    assert.deepEqual(railsEventsStream(), { name: 'RAILS_EVENTS', subjects: ['rails.events.>'], duplicateWindowMs: 120_000 });
    assert.equal(railSubjects('t_1.rails').submit, 't_1.rails.submit');
    assert.throws(() => railSubjects('a b'));
    assert.equal(railEventType('rails.events.returned'), 'returned');
    assert.equal(railEventType('rails.submit'), undefined);
  });

  it('makes 32-character end-to-end ids: kind, ISPB, UTC minute, 11 alphanumerics', () => {
    const id = newEndToEndId('60746948', new Date('2026-12-05T23:59:59Z'));
    assert.equal(id.length, 32);
    assert.match(id, /^E60746948202612052359[A-Za-z0-9]{11}$/);
    assert.match(newEndToEndId('60746948', new Date(), 'D'), /^D60746948/);
    assert.ok(isEndToEndIdShape(id));
    assert.throws(() => newEndToEndId('123', new Date()));
  });

  it('validates messages: amounts are positive integer strings, RETURN names returnOf', () => {
    assert.ok(decodeMessage(submitPaymentSchema, encodeMessage(submit)).ok);
    for (const amount of ['12.34', '0', '-1', '01', '9223372036854775808', 12]) {
      assert.equal(decodeMessage(submitPaymentSchema, encodeMessage({ ...submit, amount })).ok, false, String(amount));
    }
    assert.equal(decodeMessage(submitPaymentSchema, encodeMessage({ ...submit, kind: 'RETURN' })).ok, false);
    assert.equal(decodeMessage(submitPaymentSchema, encodeMessage({ ...submit, kind: 'RETURN', returnOf: 'E1' })).ok, true);
    assert.equal(decodeMessage(submitPaymentSchema, new TextEncoder().encode('{')).ok, false);
    const bad = decodeMessage(submitPaymentSchema, encodeMessage({ ...submit, payer: { name: 'Secret Name', ispb: '1' } }));
    assert.ok(!bad.ok && !bad.problems.join().includes('Secret'));
  });

  it('parses rail events by type or subject', () => {
    const settled = { endToEndId: submit.endToEndId, rail: 'PIX', railRef: 'R1', settledAt: '2026-12-05T09:10:00.000Z' };
    const byType = parseRailEvent('settled', settled);
    assert.ok(byType.ok && byType.value.type === 'settled' && byType.value.data.railRef === 'R1');
    assert.ok(parseRailEvent('rails.events.settled', settled).ok);
    assert.equal(parseRailEvent('rails.events.nope', settled).ok, false);
    assert.equal(parseRailEvent('rejected', settled).ok, false);
  });
});
