import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRiskPort, createRiskUnavailableCounter, RISK_UNAVAILABLE, type Outflow, type RiskFailMode, type RiskVerdict } from '../src/index';

/*
 * The risk port against a real (tiny, local) HTTP server standing in for the risk service: one that
 * answers, one that answers 500, one that never answers (the timeout), and a closed port.
 */

const outflow = (id: string, tenantId = 't-open'): Outflow => ({
  rail: 'TRANSFER',
  id,
  tenantId,
  customerId: 'c',
  accountId: 'a',
  amount: 1000n,
  currency: 'BRL',
  createdAt: new Date(),
});

let server: Server;
let base = '';
const hanging: ServerResponse[] = [];
const asked: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === '/hang') return void hanging.push(res);
    if (req.url === '/fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end('{"errors":[{"message":"boom","extensions":{"code":"INTERNAL"}}]}');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ decision: 'REVIEW', reasons: ['NEW_DEVICE'], assessmentId: 'ra-1' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A score function over HTTP, as a rail's client does it (any non-2xx answer is a failure). */
const scoreAt = (path: string, url = () => base) => async (_o: Outflow, signal: AbortSignal): Promise<RiskVerdict> => {
  const res = await fetch(`${url()}${path}`, { method: 'POST', signal });
  if (!res.ok) throw new Error(`risk answered HTTP ${res.status}`);
  return (await res.json()) as RiskVerdict;
};

const modes: Record<string, RiskFailMode> = { 't-open': 'OPEN', 't-closed': 'CLOSED' };

function port(path: string, opts: { url?: () => string; timeoutMs?: number } = {}) {
  const warnings: Record<string, unknown>[] = [];
  const counter = createRiskUnavailableCounter();
  const asks: string[] = [];
  const risk = createRiskPort({
    score: scoreAt(path, opts.url),
    failMode: async (tenantId) => (asks.push(tenantId), modes[tenantId] ?? 'CLOSED'),
    timeoutMs: opts.timeoutMs ?? 200,
    logger: { warn: (obj) => void warnings.push(obj) },
    metrics: counter,
  });
  return { risk, warnings, counter, asks };
}

describe('createRiskPort', () => {
  it('returns risk answer as it is, without asking the fail mode', async () => {
    const { risk, warnings, asks } = port('/ok');
    assert.deepEqual(await risk.assess(outflow('m-1')), { decision: 'REVIEW', reasons: ['NEW_DEVICE'], assessmentId: 'ra-1' });
    assert.deepEqual(asks, []);
    assert.deepEqual(warnings, []);
  });

  it('fails open or closed, per tenant, when risk answers an error', async () => {
    const { risk, warnings, counter } = port('/fail');
    assert.deepEqual(await risk.assess(outflow('m-2', 't-open')), { decision: 'ALLOW', reasons: [RISK_UNAVAILABLE], unavailable: true });
    assert.deepEqual(await risk.assess(outflow('m-3', 't-closed')), { decision: 'BLOCK', reasons: [RISK_UNAVAILABLE], unavailable: true });
    assert.equal(counter.value({ rail: 'TRANSFER', failMode: 'OPEN' }), 1);
    assert.equal(counter.value({ rail: 'TRANSFER', failMode: 'CLOSED' }), 1);
    assert.equal(warnings.length, 2);
    assert.deepEqual(warnings.map((w) => [w.outflowId, w.failMode, w.why]), [['m-2', 'OPEN', 'error'], ['m-3', 'CLOSED', 'error']]);
    assert.ok(!JSON.stringify(warnings).includes('1000'), 'no amount in the log');
  });

  it('stops waiting after timeoutMs (the request is aborted) and lets the fail mode decide', async () => {
    const { risk, warnings, counter } = port('/hang', { timeoutMs: 100 });
    const before = hanging.length;
    assert.deepEqual(await risk.assess(outflow('m-4', 't-open')), { decision: 'ALLOW', reasons: [RISK_UNAVAILABLE], unavailable: true });
    assert.deepEqual(await risk.assess(outflow('m-5', 't-closed')), { decision: 'BLOCK', reasons: [RISK_UNAVAILABLE], unavailable: true });
    assert.equal(hanging.length, before + 2, 'the server was asked and never answered');
    assert.deepEqual(warnings.map((w) => w.why), ['timeout', 'timeout']);
    assert.equal(counter.value({ rail: 'TRANSFER', failMode: 'OPEN' }) + counter.value({ rail: 'TRANSFER', failMode: 'CLOSED' }), 2);
  });

  it('treats an unreachable risk service as unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { risk } = port('/ok', { url: () => url });
    assert.deepEqual(await risk.assess(outflow('m-6', 't-closed')), { decision: 'BLOCK', reasons: [RISK_UNAVAILABLE], unavailable: true });
    assert.deepEqual(await risk.assess(outflow('m-7', 't-open')), { decision: 'ALLOW', reasons: [RISK_UNAVAILABLE], unavailable: true });
  });

  it('throws when the fail mode itself cannot be read (the rail retries as for any store failure)', async () => {
    const risk = createRiskPort({
      score: scoreAt('/fail'),
      failMode: () => Promise.reject(new Error('database down')),
      timeoutMs: 200,
      logger: { warn() {} },
    });
    await assert.rejects(risk.assess(outflow('m-8')), /database down/);
  });

  it('exposes a counter a prom-client registry can collect', async () => {
    const counter = createRiskUnavailableCounter();
    counter.unavailable({ rail: 'FX', failMode: 'OPEN' });
    counter.unavailable({ rail: 'FX', failMode: 'OPEN' });
    const collected = await counter.metric.get();
    assert.equal(collected.name, 'risk_unavailable_total');
    assert.deepEqual(collected.values, [{ labels: { rail: 'FX', fail_mode: 'OPEN' }, value: 2 }]);
  });

  it("answers a movement's one repeat from risk's verdict in memory; never a fail-mode verdict; rememberVerdicts false asks every time", async () => {
    const count = (path: string) => asked.filter((u) => u === path).length;
    const { risk } = port('/ok');
    const first = await risk.assess(outflow('m-10'));
    assert.deepEqual(await risk.assess(outflow('m-10')), first, 'the repeat: the same verdict');
    const asksAfterRepeat = count('/ok');
    await risk.assess(outflow('m-10'));
    assert.equal(count('/ok'), asksAfterRepeat + 1, 'taken once: the third asks risk');
    await risk.assess({ ...outflow('m-10'), amount: 999n });
    assert.equal(count('/ok'), asksAfterRepeat + 2, 'another amount is another question');

    const failing = port('/fail').risk;
    await failing.assess(outflow('m-11', 't-open'));
    const failed = count('/fail');
    await failing.assess(outflow('m-11', 't-open'));
    assert.equal(count('/fail'), failed + 1, 'a fail-mode verdict is not remembered: risk is asked again');

    const always = createRiskPort({ score: scoreAt('/ok'), failMode: async () => 'OPEN', timeoutMs: 200, logger: { warn() {} }, rememberVerdicts: false });
    const before = count('/ok');
    await always.assess(outflow('m-12'));
    await always.assess(outflow('m-12'));
    assert.equal(count('/ok'), before + 2);
  });

  it('refuses a timeout that is not a positive integer', () => {
    for (const timeoutMs of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => createRiskPort({ score: scoreAt('/ok'), failMode: async () => 'OPEN', timeoutMs, logger: { warn() {} } }), RangeError);
    }
  });
});
