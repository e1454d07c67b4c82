import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isEndToEndIdShape, parseRailEvent } from '@baas/rails';
import { HOME_ISPB, OTHER_ISPB, party, payment, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('sandbox bank: simulated incoming payments and returns', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('sandbox');
  });
  after(async () => {
    await h.close();
  });

  const payee = party(HOME_ISPB, { accountId: '7b6a5f4e-3d2c-4b1a-8e9d-0c1b2a3f4e5d' });

  it('simulates an incoming payment with an end-to-end id of the payer', async () => {
    const reply = await h.client.simulateIncoming({ rail: 'PIX', amount: '2500', currency: 'BRL', payer: party(OTHER_ISPB), payee, remittance: 'hi' });
    assert.ok(reply.accepted);
    assert.ok(isEndToEndIdShape(reply.endToEndId));
    assert.equal(reply.endToEndId.length, 32);
    assert.ok(reply.endToEndId.startsWith(`E${OTHER_ISPB}`));
    const event = await h.waitFor((e) => e.type === 'incoming' && e.data.endToEndId === reply.endToEndId);
    const parsed = parseRailEvent(event.type, event.data);
    assert.ok(parsed.ok && parsed.value.type === 'incoming');
    assert.equal(parsed.value.data.kind, 'PAYMENT');
    assert.equal(parsed.value.data.amount, '2500');
    assert.deepEqual(parsed.value.data.payee, payee);
  });

  it('keeps a given end-to-end id and delivers it once when asked twice', async () => {
    const endToEndId = `TED${Date.now()}`;
    const body = { endToEndId, rail: 'TED' as const, amount: '99', currency: 'BRL', payer: party(OTHER_ISPB), payee };
    assert.deepEqual(await h.client.simulateIncoming(body), { accepted: true, endToEndId });
    assert.deepEqual(await h.client.simulateIncoming(body), { accepted: true, endToEndId });
    await h.waitFor((e) => e.type === 'incoming' && e.data.endToEndId === endToEndId);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(h.events.filter((e) => e.data.endToEndId === endToEndId).length, 1);
  });

  it('refuses an incoming payment to a payee outside the home ISPB or without account or key', async () => {
    const base = { rail: 'PIX' as const, amount: '1', currency: 'BRL', payer: party(OTHER_ISPB) };
    assert.deepEqual(await h.client.simulateIncoming({ ...base, payee: party(OTHER_ISPB, { pixKey: 'k' }) }), {
      accepted: false,
      reason: 'PAYEE_NOT_AT_HOME_ISPB',
    });
    assert.deepEqual(await h.client.simulateIncoming({ ...base, payee: party(HOME_ISPB) }), { accepted: false, reason: 'INVALID_MESSAGE' });
  });

  it('returns part of a settled payment, then the rest, then refuses more', async () => {
    const p = payment(OTHER_ISPB, { amount: '1000' });
    assert.equal((await h.client.submit(p)).accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    const first = await h.client.simulateReturn({ endToEndId: p.endToEndId, amount: '300', reason: 'MD06' });
    assert.ok(first.accepted);
    assert.match(first.returnId, new RegExp(`^D${OTHER_ISPB}\\d{12}[A-Za-z0-9]{11}$`));
    const ev = await h.waitFor((e) => e.type === 'returned' && e.data.returnId === first.returnId);
    assert.deepEqual(
      { ...ev.data, returnedAt: undefined },
      { endToEndId: p.endToEndId, returnId: first.returnId, amount: '300', currency: 'BRL', reason: 'MD06', returnedAt: undefined },
    );
    assert.deepEqual(await h.client.simulateReturn({ endToEndId: p.endToEndId, amount: '701' }), { accepted: false, reason: 'AMOUNT_EXCEEDS_REMAINING' });
    const rest = await h.client.simulateReturn({ endToEndId: p.endToEndId });
    assert.ok(rest.accepted);
    const restEvent = await h.waitFor((e) => e.type === 'returned' && e.data.returnId === rest.returnId);
    assert.equal(restEvent.data.amount, '700');
    assert.equal(restEvent.data.reason, 'MD06');
    assert.deepEqual(await h.client.simulateReturn({ endToEndId: p.endToEndId }), { accepted: false, reason: 'ALREADY_RETURNED' });
  });

  it('refuses to return an unknown or rejected payment', async () => {
    assert.deepEqual(await h.client.simulateReturn({ endToEndId: 'E99999999202601010000abcdefghijk' }), { accepted: false, reason: 'UNKNOWN_END_TO_END_ID' });
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:reject=AC03]' });
    await h.client.submit(p);
    await h.waitFor((e) => e.type === 'rejected' && e.data.endToEndId === p.endToEndId);
    assert.deepEqual(await h.client.simulateReturn({ endToEndId: p.endToEndId }), { accepted: false, reason: 'NOT_SETTLED' });
  });

  it('never returns an on-us payment: its payee gives money back by a refund, not a bank return', async () => {
    const p = payment(HOME_ISPB, { amount: '800', remittance: 'bounce [sandbox:return=AC06]' });
    assert.equal((await h.client.submit(p)).accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    assert.deepEqual(await h.client.simulateReturn({ endToEndId: p.endToEndId }), { accepted: false, reason: 'ON_US_PAYMENT' });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(h.events.filter((e) => e.type === 'returned' && e.data.endToEndId === p.endToEndId).length, 0);
  });
});
