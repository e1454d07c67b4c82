import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret, verifyWebhook } from '@baas/webhooks';
import { createDecisionClient, DecisionUnavailableError, parseDecision, type DecisionRequest } from '../../src/clients/decision/client';
import { askTenant } from '../../src/use-cases/authorization-decision';

/** Development's URL policy: http and loopback allowed (the receiver is on 127.0.0.1). */
const LOCAL = { allowHttp: true, allowLoopback: true };

const request: DecisionRequest = {
  authorizationId: '0b7f3c1e-0000-4000-8000-000000000001', tenantId: 't', customerId: 'c', cardId: 'card', last4: '1234', amount: '1000', currency: 'BRL', mcc: '5411', merchant: 'SHOP', channel: 'ONLINE', kind: 'PURCHASE',
};

describe('the tenant decision client and the stand-in rule', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/hang') return;
        if (req.url === '/500') return void res.writeHead(500).end();
        if (req.url === '/redirect') return void res.writeHead(302, { location: '/approve' }).end();
        if (req.url === '/junk') return void res.writeHead(200).end('not json');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.url === '/approve' ? { decision: 'APPROVE' } : { approved: false }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('reads APPROVE / DECLINE, or approved: boolean', () => {
    assert.equal(parseDecision({ decision: 'APPROVE' }), 'APPROVE');
    assert.equal(parseDecision({ approved: false }), 'DECLINE');
    assert.equal(parseDecision({ decision: 'maybe' }), null);
    assert.equal(parseDecision(null), null);
  });

  it('signs with Standard Webhooks under the tenant secret (verifiable); without a whsec_ secret nothing is sent', async () => {
    const client = createDecisionClient({ policy: LOCAL });
    const secret = generateSigningSecret();
    assert.equal(await client({ url: `${base}/approve`, secret, timeoutMs: 1000 }, request, new AbortController().signal), 'APPROVE');
    const signed = seen.at(-1)!;
    assert.deepEqual(verifyWebhook([secret], signed.body, signed.headers as Record<string, string>), { ok: true });
    assert.equal(JSON.parse(signed.body).data.amount, '1000');
    const before = seen.length;
    for (const none of [null, 'plain-shared-secret']) {
      await assert.rejects(client({ url: `${base}/decline`, secret: none, timeoutMs: 1000 }, request, new AbortController().signal), DecisionUnavailableError);
    }
    assert.equal(seen.length, before, 'never an unsigned request');
  });

  it('the platform URL rules hold at each call: loopback refused unless the policy allows it (development)', async () => {
    const strict = createDecisionClient();
    const before = seen.length;
    await assert.rejects(strict({ url: `${base}/approve`, secret: generateSigningSecret(), timeoutMs: 1000 }, request, new AbortController().signal), DecisionUnavailableError);
    assert.equal(seen.length, before, 'nothing reached the loopback address');
  });

  it('an error status, a redirect, a body without a decision or no answer in time is DecisionUnavailableError', async () => {
    const client = createDecisionClient({ policy: LOCAL });
    for (const path of ['/500', '/redirect', '/junk', '/hang']) {
      await assert.rejects(client({ url: `${base}${path}`, secret: generateSigningSecret(), timeoutMs: 200 }, request, new AbortController().signal), DecisionUnavailableError, path);
    }
  });

  it('askTenant keeps the deadline even over a port that never settles, and applies the stand-in rule', async () => {
    const hanging = () => new Promise<never>(() => undefined);
    const settings = { tenantId: 't', controls: '{}', decisionUrl: 'http://unused', decisionSecret: null, decisionTimeoutMs: 150, standIn: 'APPROVE', requireThreeDsAbove: null, updatedAt: new Date() };
    const claim = { id: 'a', cardId: 'card', tenantId: 't', customerId: 'c', rrn: 'R', stan: 'S', kind: 'PURCHASE', amount: 1000n, currency: 'BRL', mcc: '5411', merchant: null, country: 'BR', channel: 'ONLINE' };
    const card = { id: 'card', tenantId: 't', customerId: 'c', last4: '1234' };
    const vault = { blindIndex: () => '', decrypt: () => '' };
    const started = Date.now();
    assert.deepEqual(await askTenant({ decision: hanging, vault }, settings, card, claim, 'a'), { decision: 'APPROVE', decidedBy: 'STAND_IN' });
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(await askTenant({ decision: async () => Promise.reject(new Error('x')), vault }, { ...settings, standIn: 'DECLINE' }, card, claim, 'a'), { decision: 'DECLINE', decidedBy: 'STAND_IN' });
    assert.deepEqual(await askTenant({ decision: async () => 'DECLINE', vault }, settings, card, claim, 'a'), { decision: 'DECLINE', decidedBy: 'TENANT' });
    assert.deepEqual(await askTenant({ vault }, settings, card, claim, 'a'), { decision: 'APPROVE', decidedBy: 'ISSUER' });
  });
});
