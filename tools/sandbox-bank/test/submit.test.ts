import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RailRequestError, encodeMessage, parseRailEvent } from '@baas/rails';
import { HOME_ISPB, OTHER_ISPB, payment, sleep, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('sandbox bank: rails.submit', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('submit');
  });
  after(async () => {
    await h.close();
  });

  const of = (id: string, type?: string) => h.events.filter((e) => e.data.endToEndId === id && (!type || e.type === type));

  it('settles a payment to an external institution', async () => {
    const p = payment(OTHER_ISPB);
    const reply = await h.client.submit(p);
    assert.equal(reply.accepted, true);
    const settled = await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    const parsed = parseRailEvent(settled.type, settled.data);
    assert.ok(parsed.ok && parsed.value.type === 'settled');
    assert.equal(settled.data.rail, 'PIX');
    assert.equal(settled.data.railRef, reply.accepted ? reply.railRef : undefined);
    assert.equal(of(p.endToEndId, 'incoming').length, 0);
    const status = await h.client.inquire(p.endToEndId);
    assert.ok('status' in status && status.status === 'SETTLED' && status.settledAt === settled.data.settledAt);
  });

  it('delivers an on-us payment to the payee (incoming), then settles it', async () => {
    const p = payment(HOME_ISPB, { remittance: 'rent' });
    assert.equal((await h.client.submit(p)).accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    const types = of(p.endToEndId).map((e) => e.type);
    assert.deepEqual(types, ['incoming', 'settled']);
    const incoming = of(p.endToEndId, 'incoming')[0]!;
    const parsed = parseRailEvent('incoming', incoming.data);
    assert.ok(parsed.ok && parsed.value.type === 'incoming');
    assert.equal(parsed.value.data.kind, 'PAYMENT');
    assert.deepEqual(parsed.value.data.payee, p.payee);
    assert.equal(parsed.value.data.remittance, 'rent');
  });

  it('delivers an on-us RETURN as incoming with kind RETURN and returnOf', async () => {
    const original = payment(OTHER_ISPB);
    const ret = payment(HOME_ISPB, { kind: 'RETURN', returnOf: original.endToEndId, returnReason: 'MD06', amount: '100' });
    assert.equal((await h.client.submit(ret)).accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === ret.endToEndId);
    const incoming = of(ret.endToEndId, 'incoming')[0]!;
    assert.equal(incoming.data.kind, 'RETURN');
    assert.equal(incoming.data.returnOf, original.endToEndId);
    assert.equal(incoming.data.returnReason, 'MD06');
  });

  it('is idempotent by endToEndId: the same answer, one settlement', async () => {
    const p = payment(OTHER_ISPB);
    const first = await h.client.submit(p);
    const [second, third] = await Promise.all([h.client.submit(p), h.client.submit(p)]);
    assert.deepEqual(second, first);
    assert.deepEqual(third, first);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    assert.deepEqual(await h.client.submit(p), first);
    await sleep(200);
    assert.equal(of(p.endToEndId, 'settled').length, 1);
  });

  it('[sandbox:reject=CODE] accepts, then publishes rejected with that reason', async () => {
    const p = payment(HOME_ISPB, { remittance: 'x [sandbox:reject=AC03]' });
    assert.equal((await h.client.submit(p)).accepted, true);
    const rejected = await h.waitFor((e) => e.type === 'rejected' && e.data.endToEndId === p.endToEndId);
    assert.equal(rejected.data.reason, 'AC03');
    await sleep(100);
    assert.deepEqual(of(p.endToEndId).map((e) => e.type), ['rejected']);
    assert.deepEqual(await h.client.inquire(p.endToEndId), { status: 'REJECTED', reason: 'AC03' });
  });

  it('[sandbox:refuse=CODE] answers accepted: false at once, and again on a resubmit', async () => {
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:refuse=AB09]' });
    assert.deepEqual(await h.client.submit(p), { accepted: false, reason: 'AB09' });
    assert.deepEqual(await h.client.submit(p), { accepted: false, reason: 'AB09' });
    await sleep(100);
    assert.equal(of(p.endToEndId).length, 0);
  });

  it('[sandbox:timeout] lets the first submit time out; the retry succeeds once', async () => {
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:timeout]' });
    await assert.rejects(h.client.submit(p, { timeoutMs: 300 }), (err: unknown) => err instanceof RailRequestError && err.kind === 'TIMEOUT');
    assert.deepEqual(await h.client.inquire(p.endToEndId), { status: 'UNKNOWN' });
    const retry = await h.client.submit(p);
    assert.equal(retry.accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    assert.deepEqual(await h.client.submit(p), retry);
    await sleep(100);
    assert.equal(of(p.endToEndId, 'settled').length, 1);
  });

  it('[sandbox:silent] never answers and never processes', async () => {
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:silent]' });
    await assert.rejects(h.client.submit(p, { timeoutMs: 200 }), RailRequestError);
    await assert.rejects(h.client.submit(p, { timeoutMs: 200 }), RailRequestError);
    assert.deepEqual(await h.client.inquire(p.endToEndId), { status: 'UNKNOWN' });
    assert.equal(of(p.endToEndId).length, 0);
  });

  it('[sandbox:return=CODE] settles, then returns the full amount with a D id', async () => {
    const p = payment(OTHER_ISPB, { amount: '5000', remittance: '[sandbox:return=MD06]' });
    assert.equal((await h.client.submit(p)).accepted, true);
    const returned = await h.waitFor((e) => e.type === 'returned' && e.data.endToEndId === p.endToEndId);
    assert.deepEqual(of(p.endToEndId).map((e) => e.type), ['settled', 'returned']);
    assert.equal(returned.data.amount, '5000');
    assert.equal(returned.data.currency, 'BRL');
    assert.equal(returned.data.reason, 'MD06');
    assert.match(String(returned.data.returnId), new RegExp(`^D${OTHER_ISPB}\\d{12}[A-Za-z0-9]{11}$`));
    assert.ok(parseRailEvent('returned', returned.data).ok);
  });

  it('[sandbox:delay=MS] holds the outcome that long', async () => {
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:delay=400]' });
    const started = Date.now();
    await h.client.submit(p);
    assert.equal(((await h.client.inquire(p.endToEndId)) as { status: string }).status, 'IN_FLIGHT');
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    assert.ok(Date.now() - started >= 390);
  });

  it('[sandbox:early] publishes the outcome before it answers the submit (the event overtakes the acceptance)', async () => {
    const p = payment(HOME_ISPB, { remittance: '[sandbox:early]' });
    const reply = await h.client.submit(p);
    assert.equal(reply.accepted, true);
    assert.equal(((await h.client.inquire(p.endToEndId)) as { status: string }).status, 'SETTLED', 'settled before the answer');
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    assert.deepEqual(of(p.endToEndId).map((e) => e.type), ['incoming', 'settled']);
    assert.deepEqual(await h.client.submit(p), reply, 'a resubmit answers the same, and publishes nothing more');
    const rejected = payment(OTHER_ISPB, { remittance: '[sandbox:early] [sandbox:reject=AC03]' });
    assert.equal((await h.client.submit(rejected)).accepted, true);
    assert.equal(((await h.client.inquire(rejected.endToEndId)) as { status: string }).status, 'REJECTED');
  });

  it('answers INVALID_MESSAGE to an invalid request, keeps serving, and logs no PII', async () => {
    const bad = { ...payment(OTHER_ISPB), amount: '12.34' };
    assert.deepEqual(await h.client.submit(bad as never), { accepted: false, reason: 'INVALID_MESSAGE' });
    const notJson = await h.nc.request(h.names.namespace + '.submit', new TextEncoder().encode('{nope'), { timeout: 2000 });
    assert.deepEqual(JSON.parse(new TextDecoder().decode(notJson.data)), { accepted: false, reason: 'INVALID_MESSAGE' });
    const noReturnOf = await h.nc.request(h.names.namespace + '.submit', encodeMessage({ ...payment(OTHER_ISPB), kind: 'RETURN' }), { timeout: 2000 });
    assert.deepEqual(JSON.parse(new TextDecoder().decode(noReturnOf.data)), { accepted: false, reason: 'INVALID_MESSAGE' });
    assert.deepEqual(await h.client.inquire('not an id!'), { accepted: false, reason: 'INVALID_MESSAGE' });
    const ok = payment(OTHER_ISPB);
    assert.equal((await h.client.submit(ok)).accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === ok.endToEndId);
    const logs = h.logs();
    for (const pii of ['Fulano', '456.789', 'fulano@example.com', '+5511999990000']) assert.ok(!logs.includes(pii), `logs contain ${pii}`);
  });
});
