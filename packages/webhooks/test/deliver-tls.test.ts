import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverWebhook, generateSigningSecret, verifyWebhook, type LookupAll } from '../src/index';

/*
 * Delivery over TLS to a pinned address: a local https server with a self-signed certificate for
 * hooks.test (made here with the openssl CLI), reached through a resolver that maps the names to
 * 127.0.0.1. The connection goes to the pinned address while TLS still verifies the host name.
 */
const dir = mkdtempSync(join(tmpdir(), 'webhooks-tls-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=hooks.test', '-addext', 'subjectAltName=DNS:hooks.test'], { stdio: 'ignore' });
const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
const key = readFileSync(join(dir, 'key.pem'), 'utf8');

const seen: Array<{ servername: string | false | null; host: string | undefined; body: string; headers: Record<string, string> }> = [];
const server = https.createServer({ cert, key }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const socket = req.socket as import('node:tls').TLSSocket;
    seen.push({ servername: socket.servername, host: req.headers.host, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string> });
    res.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const toLoopback: LookupAll = async () => [{ address: '127.0.0.1', family: 4 }];
const secret = generateSigningSecret();
const body = JSON.stringify({ type: 'webhook.ping', data: {} });
const send = (host: string, ca?: string) => deliverWebhook({ url: `https://${host}:${port}/in`, secrets: [secret], id: 'evt_tls', body, policy: { allowLoopback: true, lookup: toLoopback }, timeoutMs: 5_000, ...(ca ? { ca } : {}) });

test('https to the pinned address: SNI and certificate checked against the host name, signed body delivered', async () => {
  const r = await send('hooks.test', cert);
  assert.deepEqual({ ok: r.ok, status: r.status, error: r.error }, { ok: true, status: 200, error: null });
  const got = seen.at(-1)!;
  assert.equal(got.servername, 'hooks.test');
  assert.equal(got.host, `hooks.test:${port}`);
  assert.ok(verifyWebhook([secret], got.body, got.headers).ok);
});

test('an untrusted certificate, or one for another name, is TLS_ERROR and nothing is sent', async () => {
  const before = seen.length;
  assert.equal((await send('hooks.test')).error, 'TLS_ERROR', 'self-signed, not trusted');
  assert.equal((await send('other.test', cert)).error, 'TLS_ERROR', 'trusted, but issued for hooks.test');
  assert.equal(seen.length, before);
});
