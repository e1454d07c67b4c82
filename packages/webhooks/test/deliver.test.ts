import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { deliverWebhook, generateSigningSecret, parseRetryAfter, verifyWebhook, type LookupAll, type UrlPolicy } from '../src/index';

type Seen = { headers: http.IncomingHttpHeaders; body: string; url: string };
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** A local server whose answer each test sets; it records what arrived. */
async function startServer(): Promise<{ port: number; seen: Seen[]; handle(h: Handler): void; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let handler: Handler = (_req, res) => res.writeHead(204).end();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ headers: req.headers, body, url: req.url ?? '' });
      handler(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    handle: (h) => {
      handler = h;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const server = await startServer();
after(() => server.close());
const secret = generateSigningSecret();
const local: UrlPolicy = { allowHttp: true, allowLoopback: true };
const url = `http://127.0.0.1:${server.port}/hooks?tenant=t1`;
const body = JSON.stringify({ id: 'evt_1', type: 'payments.order.settled', data: { amount: '12345' } });
const deliver = (extra: Partial<Parameters<typeof deliverWebhook>[0]> = {}) => deliverWebhook({ url, secrets: [secret], id: 'evt_1', body, policy: local, timeoutMs: 2_000, ...extra });

test('2xx: delivered, signed so that the receiver verifies, with status and latency', async () => {
  server.handle((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'));
  const before = server.seen.length;
  const r = await deliver();
  assert.deepEqual({ ok: r.ok, status: r.status, error: r.error, responseBytes: r.responseBytes }, { ok: true, status: 200, error: null, responseBytes: 6 });
  assert.ok(r.latencyMs >= 0);
  const got = server.seen[before]!;
  assert.equal(got.body, body);
  assert.equal(got.url, '/hooks?tenant=t1');
  assert.equal(got.headers['content-type'], 'application/json');
  assert.equal(got.headers['webhook-id'], 'evt_1');
  assert.deepEqual(verifyWebhook([secret], got.body, got.headers as Record<string, string>), { ok: true });
});

test('500 and 410 are failures (410: the receiver wants no more), never throws', async () => {
  server.handle((_req, res) => res.writeHead(500).end('oops'));
  assert.deepEqual(pick(await deliver()), { ok: false, status: 500, error: 'HTTP_STATUS' });
  server.handle((_req, res) => res.writeHead(410).end());
  assert.deepEqual(pick(await deliver()), { ok: false, status: 410, error: 'GONE' });
});

test('a 3xx is a failure and its Location is never followed', async () => {
  let followed = 0;
  const target = await startServer();
  target.handle((_req, res) => {
    followed++;
    res.writeHead(200).end();
  });
  server.handle((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end());
  assert.deepEqual(pick(await deliver()), { ok: false, status: 307, error: 'REDIRECT_NOT_FOLLOWED' });
  server.handle((_req, res) => res.writeHead(301, { location: '/moved' }).end());
  assert.deepEqual(pick(await deliver()), { ok: false, status: 301, error: 'REDIRECT_NOT_FOLLOWED' });
  assert.equal(followed, 0);
  assert.equal(target.seen.length, 0);
  await target.close();
});

test('a receiver that hangs (no answer, or headers then silence) ends in TIMEOUT', async () => {
  server.handle(() => {});
  assert.deepEqual(pick(await deliver({ timeoutMs: 200 })), { ok: false, status: null, error: 'TIMEOUT' });
  server.handle((_req, res) => {
    res.writeHead(200);
    res.write('partial');
  });
  const r = await deliver({ timeoutMs: 200 });
  assert.deepEqual(pick(r), { ok: false, status: 200, error: 'TIMEOUT' });
});

test('a huge response body is read up to the cap and dropped', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const pump = () => {
      while (written < 50 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => {
      written = Infinity;
    });
    pump();
  });
  const r = await deliver({ maxResponseBytes: 4096 });
  assert.deepEqual(pick(r), { ok: true, status: 200, error: null });
  assert.equal(r.responseBytes, 4096);
});

test('connection refused is a result; so is a URL that fails its check (nothing sent)', async () => {
  const gone = await startServer();
  const port = gone.port;
  await gone.close();
  assert.deepEqual(pick(await deliver({ url: `http://127.0.0.1:${port}/` })), { ok: false, status: null, error: 'CONNECTION_FAILED' });
  const before = server.seen.length;
  assert.equal((await deliver({ policy: { allowHttp: true } })).error, 'PRIVATE_ADDRESS');
  assert.equal((await deliver({ policy: { allowLoopback: true } })).error, 'INSECURE_SCHEME');
  assert.equal(server.seen.length, before);
});

test('the connection goes to the address that was checked: the name is resolved once, by the check (no rebinding)', async () => {
  server.handle((_req, res) => res.writeHead(204).end());
  let lookups = 0;
  // First answer loopback (allowed here), any later one a private address: a second resolution
  // by the socket would land elsewhere (and "hooks.rebind.invalid" does not resolve at all in DNS).
  const rebinding: LookupAll = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }]);
  const before = server.seen.length;
  const r = await deliver({ url: `http://hooks.rebind.invalid:${server.port}/p`, policy: { ...local, lookup: rebinding } });
  assert.deepEqual(pick(r), { ok: true, status: 204, error: null });
  assert.equal(lookups, 1);
  assert.equal(server.seen[before]!.headers.host, `hooks.rebind.invalid:${server.port}`);
  // The next attempt checks again, and this time the name leads somewhere private: refused, not sent.
  const again = await deliver({ url: `http://hooks.rebind.invalid:${server.port}/p`, policy: { ...local, lookup: rebinding } });
  assert.equal(again.error, 'PRIVATE_ADDRESS');
  assert.equal(server.seen.length, before + 1);
});

test('rotation: every active secret signs the delivery', async () => {
  const older = generateSigningSecret();
  server.handle((_req, res) => res.writeHead(200).end());
  const before = server.seen.length;
  await deliver({ secrets: [secret, older] });
  const got = server.seen[before]!;
  assert.equal(String(got.headers['webhook-signature']).split(' ').length, 2);
  assert.ok(verifyWebhook([older], got.body, got.headers as Record<string, string>).ok);
});

test('Retry-After with a 429 or 503 is returned (seconds or a date, capped at a day)', async () => {
  server.handle((_req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
  const r = await deliver();
  assert.deepEqual({ ...pick(r), retryAfterMs: r.retryAfterMs }, { ok: false, status: 429, error: 'HTTP_STATUS', retryAfterMs: 120_000 });
  const now = new Date('2026-12-05T12:00:00Z');
  assert.equal(parseRetryAfter('Sat, 05 Dec 2026 12:01:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('Sat, 05 Dec 2026 11:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('999999', now), 24 * 3_600_000);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
});

function pick(r: { ok: boolean; status: number | null; error: string | null }) {
  return { ok: r.ok, status: r.status, error: r.error };
}
