import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret, verifyWebhook } from '@baas/webhooks';
import { createDecisionClient, DecisionUnavailableError, parseDecision, type DecisionRequest } from '../../src/clients/decision/client';
import { askTenant } from '../../src/use-cases/authorization-decision';

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

  it('signs with Standard Webhooks for a whsec_ secret (verifiable), else HMAC-SHA256', async () => {
    const client = createDecisionClient();
    const secret = generateSigningSecret();
    assert.equal(await client({ url: `${base}/approve`, secret, timeoutMs: 1000 }, request, new AbortController().signal), 'APPROVE');
    const signed = seen.at(-1)!;
    assert.deepEqual(verifyWebhook([secret], signed.body, signed.headers as Record<string, string>), { ok: true });
    assert.equal(JSON.parse(signed.body).data.amount, '1000');
    assert.equal(await client({ url: `${base}/decline`, secret: 'plain-shared-secret', timeoutMs: 1000 }, request, new AbortController().signal), 'DECLINE');
    const hmac = seen.at(-1)!;
    const expected = createHmac('sha256', 'plain-shared-secret').update(`${hmac.headers['webhook-id']}.${hmac.headers['webhook-timestamp']}.${hmac.body}`).digest('hex');
    assert.equal(hmac.headers['x-baas-signature'], `sha256=${expected}`);
  });

  it('an error status, a redirect, a body without a decision or no answer in time is DecisionUnavailableError', async () => {
    const client = createDecisionClient();
    for (const path of ['/500', '/redirect', '/junk', '/hang']) {
      await assert.rejects(client({ url: `${base}${path}`, secret: null, timeoutMs: 200 }, request, new AbortController().signal), DecisionUnavailableError, path);
    }
  });

  it('askTenant keeps the deadline even over a port that never settles, and applies the stand-in rule', async () => {
    const hanging = () => new Promise<never>(() => undefined);
    const settings = { tenantId: 't', controls: '{}', decisionUrl: 'http://unused', decisionSecret: null, decisionTimeoutMs: 150, standIn: 'APPROVE', updatedAt: new Date() };
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
