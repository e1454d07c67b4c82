import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeepAliveFetch } from '../src/index';

describe('createKeepAliveFetch', () => {
  let server: http.Server;
  let base: string;
  const sockets = new Set<unknown>();
  const fetcher = createKeepAliveFetch();

  before(async () => {
    server = http.createServer((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
        if (req.url === '/empty') return void res.writeHead(204).end();
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.writeHead(req.url === '/teapot' ? 418 : 200, 'Custom Reason', { 'content-type': 'application/json', 'x-echo': String(req.headers['x-echo']) });
        res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] ?? null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    fetcher.close();
    server.closeAllConnections();
    server.close();
  });

  it('posts a body with its length and headers, and answers a standard Response', async () => {
    const body = JSON.stringify({ query: '{ é }' });
    const res = await fetcher(`${base}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Echo': 'yes' }, body });
    assert.ok(res instanceof Response);
    assert.equal(res.ok, true);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-echo'), 'yes');
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { method: 'POST', body, length: String(Buffer.byteLength(body)) });
    const teapot = await fetcher(`${base}/teapot`, { headers: new Headers({ 'x-echo': 'h' }) });
    assert.equal(teapot.ok, false);
    assert.equal(teapot.status, 418);
    assert.equal(teapot.statusText, 'Custom Reason');
    assert.equal((await fetcher(`${base}/empty`)).status, 204);
  });

  it('keeps one connection alive across sequential calls', async () => {
    sockets.clear();
    for (let i = 0; i < 20; i++) await (await fetcher(`${base}/x`, { method: 'POST', body: '{}' })).text();
    assert.equal(sockets.size, 1);
  });

  it('rejects on an abort signal, and with ECONNREFUSED when nothing listens', async () => {
    await assert.rejects(fetcher(`${base}/slow`, { signal: AbortSignal.timeout(50) }), (error: Error) => error.name === 'TimeoutError');
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(fetcher(`http://127.0.0.1:${port}/`), { code: 'ECONNREFUSED' });
  });
});
