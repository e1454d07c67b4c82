import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { processNetworkMessage } from '../../src/use-cases/process-network-message';
import { authRequest, clearing, startAuthorizationFixture, type AuthorizationFixture } from './authorization-fixture';

describe('processNetworkMessage: the life of an authorisation (0220 captures, incremental 0100, refunds, force-posts)', () => {
  let f: AuthorizationFixture;
  before(async () => {
    f = await startAuthorizationFixture();
  });
  after(async () => {
    await f?.close();
  });

  const approve = async (c: Awaited<ReturnType<AuthorizationFixture['issueCard']>>, amount: bigint) => {
    const request = authRequest(c, amount);
    const response = await processNetworkMessage(f.deps, request);
    assert.equal(response.elements['39'], '00');
    return request;
  };

  it('a partial capture posts part and keeps the rest held; the final capture posts and releases the remainder', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const auth = await approve(c, 60_00n);
    const rrn = auth.elements['37']!;
    const first = clearing(c, rrn, 20_00n);
    const r1 = await processNetworkMessage(f.deps, first);
    assert.equal(r1.mti, '0230');
    assert.equal(r1.elements['39'], '00');
    assert.equal(r1.elements['2'], undefined);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 80_00n, pending: 40_00n, available: 40_00n });
    // A repeat of the clearing moves nothing.
    assert.equal((await processNetworkMessage(f.deps, first)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 80_00n, pending: 40_00n, available: 40_00n });
    // A second partial capture, then the final one (captured reaches the authorised amount).
    assert.equal((await processNetworkMessage(f.deps, clearing(c, rrn, 15_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 65_00n, pending: 25_00n, available: 40_00n });
    assert.equal((await processNetworkMessage(f.deps, clearing(c, rrn, 25_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 40_00n, pending: 0n, available: 40_00n });
    const row = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } });
    assert.equal(row.state, 'CLOSED');
    assert.equal(row.captured, 60_00n);
    assert.equal(row.released, 60_00n);
    const captured = (await f.events('cards.transaction.captured')).filter((e) => e.cardId === c.card.id);
    assert.deepEqual(captured.map((e) => e.amount), ['2000', '1500', '2500']);
    assert.deepEqual(captured.map((e) => e.final), [false, false, true]);
  });

  it('a capture below the authorised amount leaves the rest held; a reversal releases it', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const auth = await approve(c, 50_00n);
    const rrn = auth.elements['37']!;
    assert.equal((await processNetworkMessage(f.deps, clearing(c, rrn, 30_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 70_00n, pending: 20_00n, available: 50_00n });
    const reversed = { mti: '0400', elements: { '2': c.pan, '3': '000000', '4': '000000002000', '7': '1206140000', '11': '777777', '37': rrn, '49': '986', '90': `0100${auth.elements['11']}1206120000` } };
    const r = await processNetworkMessage(f.deps, reversed);
    assert.equal(r.mti, '0410');
    assert.equal(r.elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 70_00n, pending: 0n, available: 70_00n });
    assert.equal((await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } })).state, 'CLOSED');
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, 30_00n);
  });

  it('full and partial reversals void the hold; a repeat moves nothing', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const auth = await approve(c, 40_00n);
    const rrn = auth.elements['37']!;
    const partial = { mti: '0400', elements: { '2': c.pan, '3': '000000', '4': '000000001000', '7': '1206140000', '11': '888881', '37': rrn, '49': '986', '90': `0100${auth.elements['11']}1206120000` } };
    assert.equal((await processNetworkMessage(f.deps, partial)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 30_00n, available: 70_00n });
    assert.equal((await processNetworkMessage(f.deps, partial)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 30_00n, available: 70_00n });
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, 30_00n);
    const full = { mti: '0400', elements: { ...partial.elements, '4': '000000003000', '11': '888882' } };
    assert.equal((await processNetworkMessage(f.deps, full)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 0n, available: 100_00n });
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, 0n);
    const reversedEvents = (await f.events('cards.authorization.reversed')).filter((e) => e.cardId === c.card.id);
    assert.deepEqual(reversedEvents.map((e) => e.amount), ['1000', '3000']);
    // A capture after the reversal has no hold behind it: it is a force-post.
    assert.equal((await processNetworkMessage(f.deps, clearing(c, rrn, 5_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 95_00n, pending: 0n, available: 95_00n });
  });

  it('an incremental authorisation (same RRN, new STAN) raises the hold; captures take the pieces in order', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const auth = await approve(c, 30_00n);
    const rrn = auth.elements['37']!;
    const increment = authRequest(c, 20_00n, { '37': rrn });
    const r = await processNetworkMessage(f.deps, increment);
    assert.equal(r.elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 50_00n, available: 50_00n });
    assert.equal((await processNetworkMessage(f.deps, increment)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 50_00n, available: 50_00n });
    // The original's repeat still answers as it did (no second increment).
    assert.equal((await processNetworkMessage(f.deps, auth)).elements['39'], '00');
    assert.equal((await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } })).amount, 50_00n);
    // An increment beyond the funds is 51 and changes nothing.
    assert.equal((await processNetworkMessage(f.deps, authRequest(c, 60_00n, { '37': rrn }))).elements['39'], '51');
    // Capture 40 of 50 (across both pieces), then the final 10.
    assert.equal((await processNetworkMessage(f.deps, clearing(c, rrn, 40_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 60_00n, pending: 10_00n, available: 50_00n });
    assert.equal((await processNetworkMessage(f.deps, clearing(c, rrn, 10_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 50_00n, pending: 0n, available: 50_00n });
  });

  it('a refund (processing code 20) credits the customer once', async () => {
    const c = await f.issueCard({ funds: 10_00n });
    const refund = clearing(c, 'REFUND000001', 7_50n, { '3': '200000' });
    const r = await processNetworkMessage(f.deps, refund);
    assert.equal(r.elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 17_50n, pending: 0n, available: 17_50n });
    assert.equal((await processNetworkMessage(f.deps, refund)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 17_50n, pending: 0n, available: 17_50n });
    const events = (await f.events('cards.transaction.refunded')).filter((e) => e.cardId === c.card.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.amount, '750');
  });

  it('a force-post (a clearing with no authorisation) posts at once; one the balance does not cover is 51 and writes nothing', async () => {
    const c = await f.issueCard({ funds: 10_00n });
    const forced = clearing(c, 'FORCED000001', 4_00n);
    assert.equal((await processNetworkMessage(f.deps, forced)).elements['39'], '00');
    assert.equal((await processNetworkMessage(f.deps, forced)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 6_00n, pending: 0n, available: 6_00n });
    const counts = await f.rowCounts();
    assert.equal((await processNetworkMessage(f.deps, clearing(c, 'FORCED000002', 6_01n))).elements['39'], '51');
    assert.deepEqual(await f.rowCounts(), counts);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 6_00n, pending: 0n, available: 6_00n });
    assert.equal((await f.events('cards.transaction.force_posted')).filter((e) => e.cardId === c.card.id).length, 1);
  });

  it('an 0120 advice records the network stand-in approval with its hold; a reversal of an unknown RRN is acknowledged', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const request = authRequest(c, 12_00n);
    const { '126': _cvv, ...elements } = request.elements;
    const advice = { mti: '0120', elements: { ...elements, '39': '00' } };
    const r = await processNetworkMessage(f.deps, advice);
    assert.equal(r.mti, '0130');
    assert.equal(r.elements['39'], '00');
    assert.equal((await processNetworkMessage(f.deps, advice)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 12_00n, available: 88_00n });
    const row = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } });
    assert.equal(row.decidedBy, 'NETWORK_STAND_IN');
    const unknown = { mti: '0400', elements: { '2': c.pan, '3': '000000', '4': '000000001000', '7': '1206140000', '11': '999999', '37': 'UNKNOWN00001', '49': '986', '90': '01001234561206120000' } };
    assert.equal((await processNetworkMessage(f.deps, unknown)).elements['39'], '00');
  });
});
