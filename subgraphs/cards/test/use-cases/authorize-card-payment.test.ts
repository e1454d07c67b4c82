import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret } from '@baas/webhooks';
import { createDecisionClient } from '../../src/clients/decision/client';
import { decisionSecretContext } from '../../src/store/pan-index';
import { panFromSequence } from '../../src/domain/pan';
import { processNetworkMessage } from '../../src/use-cases/process-network-message';
import { authRequest, startAuthorizationFixture, type AuthorizationFixture } from './authorization-fixture';

describe('processNetworkMessage: 0100 authorisations on the real ledger and Redis', () => {
  let f: AuthorizationFixture;
  before(async () => {
    f = await startAuthorizationFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('approves, places the ledger hold, answers 00 with an approval code, echoes STAN/RRN/amount and never the PAN', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const request = authRequest(c, 25_00n);
    const response = await processNetworkMessage(f.deps, request);
    assert.equal(response.mti, '0110');
    assert.equal(response.elements['39'], '00');
    assert.match(response.elements['38']!, /^[0-9A-Z]{6}$/);
    for (const de of ['4', '11', '37']) assert.equal(response.elements[de], request.elements[de]);
    assert.equal(response.elements['2'], undefined);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 25_00n, available: 75_00n });
    const auth = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } });
    assert.equal(auth.state, 'APPROVED');
    assert.equal(auth.holds, 1);
    assert.ok(auth.expiresAt && auth.expiresAt.getTime() > Date.now() + 6 * 86_400_000);
    const [event] = (await f.events('cards.authorization.approved')).filter((e) => e.cardId === c.card.id);
    assert.equal(event?.amount, '2500');
    assert.equal(event?.last4, c.card.last4);
    assert.ok(!JSON.stringify(await f.events('cards.authorization.approved')).includes(c.pan));
  });

  it('a repeated message answers the stored response and moves nothing again', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const request = authRequest(c, 40_00n);
    const first = await processNetworkMessage(f.deps, request);
    const counts = await f.rowCounts();
    const again = await Promise.all([processNetworkMessage(f.deps, request), processNetworkMessage(f.deps, request)]);
    for (const r of again) assert.deepEqual(r, first);
    assert.deepEqual(await f.rowCounts(), counts);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 40_00n, available: 60_00n });
  });

  it('declines with the network codes: unknown card 14, expired 54, bad CVV N7, paused 62, not active 78 (writing nothing)', async () => {
    const before = await f.rowCounts();
    const unknown = { pan: panFromSequence('499999', 42n), expiry: '3012' };
    assert.equal((await processNetworkMessage(f.deps, authRequest(unknown, 10_00n))).elements['39'], '14');
    const expired = await f.issueCard({ funds: 100_00n, expiry: '2001' });
    assert.equal((await processNetworkMessage(f.deps, authRequest(expired, 10_00n))).elements['39'], '54');
    const good = await f.issueCard({ funds: 100_00n });
    assert.equal((await processNetworkMessage(f.deps, authRequest({ ...good, expiry: '3101' }, 10_00n))).elements['39'], '54');
    const wrongCvv = good.cvv === '000' ? '001' : '000';
    assert.equal((await processNetworkMessage(f.deps, authRequest({ ...good, cvv: wrongCvv }, 10_00n))).elements['39'], 'N7');
    const paused = await f.issueCard({ funds: 100_00n, state: 'PAUSED' });
    assert.equal((await processNetworkMessage(f.deps, authRequest(paused, 10_00n))).elements['39'], '62');
    const pending = await f.issueCard({ funds: 100_00n, state: 'PENDING_ACTIVATION' });
    assert.equal((await processNetworkMessage(f.deps, authRequest(pending, 10_00n))).elements['39'], '78');
    assert.deepEqual(await f.rowCounts(), before);
    assert.deepEqual(await f.balance(good.card.ledgerAccountId), { posted: 100_00n, pending: 0n, available: 100_00n });
    // The right CVV passes.
    assert.equal((await processNetworkMessage(f.deps, authRequest(good, 10_00n))).elements['39'], '00');
  });

  it('declines on controls (MCC blocked 57, over the per-transaction limit 61) and funds (51), recording the decline and holding nothing', async () => {
    const blocked = await f.issueCard({ funds: 100_00n, controls: { mccBlock: ['5411'] } });
    assert.equal((await processNetworkMessage(f.deps, authRequest(blocked, 10_00n))).elements['39'], '57');
    const limited = await f.issueCard({ funds: 100_00n, controls: { perTransaction: '5000' } });
    assert.equal((await processNetworkMessage(f.deps, authRequest(limited, 50_01n))).elements['39'], '61');
    assert.equal((await processNetworkMessage(f.deps, authRequest(limited, 50_00n))).elements['39'], '00');
    const poor = await f.issueCard({ funds: 10_00n });
    assert.equal((await processNetworkMessage(f.deps, authRequest(poor, 10_01n))).elements['39'], '51');
    assert.deepEqual(await f.balance(poor.card.ledgerAccountId), { posted: 10_00n, pending: 0n, available: 10_00n });
    const declined = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: poor.card.id } });
    assert.equal(declined.state, 'DECLINED');
    assert.equal(declined.declineReason, 'INSUFFICIENT_FUNDS');
    assert.equal((await f.events('cards.authorization.declined')).filter((e) => e.cardId === poor.card.id)[0]?.responseCode, '51');
    // The velocity reservation of a funds decline is released: the day's usage is what was approved only.
    assert.equal((await f.deps.velocity.usage(poor.card.id, new Date())).day, 0n);
    assert.equal((await f.deps.velocity.usage(limited.card.id, new Date())).day, 50_00n);
  });

  it('risk BLOCK declines 59 and voids the hold; risk unavailable follows the tenant fail mode', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    f.risk.score = async () => ({ decision: 'BLOCK', reasons: ['MULE_SUSPECTED'] });
    assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '59');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 0n, available: 100_00n });
    f.risk.score = async () => Promise.reject(new Error('risk is down'));
    f.risk.failMode = 'CLOSED';
    assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '59');
    f.risk.failMode = 'OPEN';
    assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '00');
    f.risk.score = async () => ({ decision: 'ALLOW', reasons: [] });
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 10_00n, available: 90_00n });
  });

  describe('the tenant decision webhook', () => {
    let server: Server;
    let url = '';
    const seen: { headers: Record<string, unknown>; body: string }[] = [];
    let mode: 'hang' | 'decline' | 'approve' = 'hang';
    before(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          seen.push({ headers: req.headers, body });
          if (mode === 'hang') return;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ decision: mode === 'approve' ? 'APPROVE' : 'DECLINE' }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decide`;
      f.deps.decision = createDecisionClient({ policy: { allowHttp: true, allowLoopback: true } });
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('a webhook that hangs gets the stand-in decision within the deadline; a decline declines 05 and voids the hold', async () => {
      const c = await f.issueCard({ funds: 100_00n });
      await f.db.tenantCardSettings.create({ data: { tenantId: c.tenantId, decisionUrl: url, decisionSecret: f.vault.encrypt(generateSigningSecret(), decisionSecretContext(c.tenantId)), decisionTimeoutMs: 300, standIn: 'DECLINE' } });
      mode = 'hang';
      const started = Date.now();
      assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '05');
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
      const auth = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } });
      assert.equal(auth.decidedBy, 'STAND_IN');
      await f.db.tenantCardSettings.update({ where: { tenantId: c.tenantId }, data: { standIn: 'APPROVE' } });
      assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '00');
      mode = 'decline';
      assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '05');
      mode = 'approve';
      assert.equal((await processNetworkMessage(f.deps, authRequest(c, 10_00n))).elements['39'], '00');
      assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 20_00n, available: 80_00n });
      assert.ok(seen.length >= 4);
      assert.ok(seen.every((s) => !s.body.includes(c.pan)));
    });
  });

  it('malformed messages are refused with their codes and write nothing', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const before = await f.rowCounts();
    const good = authRequest(c, 10_00n);
    const cases: [unknown, string][] = [
      [null, '30'],
      ['0100', '30'],
      [{ mti: '0999', elements: {} }, '30'],
      [{ mti: '0100', elements: { ...good.elements, '4': '12' } }, '13'],
      [{ mti: '0100', elements: { ...good.elements, '2': '4000000000000001' } }, '14'],
      [{ mti: '0100', elements: { ...good.elements, '3': '990000' } }, '12'],
      [{ mti: '0100', elements: { ...good.elements, '49': '999' } }, '13'],
      [{ mti: '0100', elements: { ...good.elements, '99': 'x' } }, '30'],
    ];
    for (const [json, code] of cases) {
      const response = await processNetworkMessage(f.deps, json);
      assert.equal(response.elements['39'], code, JSON.stringify(json));
      assert.equal(response.elements['2'], undefined);
    }
    assert.deepEqual(await f.rowCounts(), before);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 0n, available: 100_00n });
  });

  it('no PAN in any event or log line written by these authorisations (no run of 13-19 digits)', async () => {
    const outbox = await f.db.cardEventOutbox.findMany();
    assert.ok(outbox.length > 0);
    for (const text of [...outbox.map((r) => r.payload), ...f.warnings.map((w) => JSON.stringify(w))]) assert.doesNotMatch(text, /\d{13,19}/);
  });
});
