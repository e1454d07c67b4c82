import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createCors, originMatcher, parseOriginEntry } from '../src/cors';
import { gatewayConfigSchema } from '../src/config';

const base = { INTERNAL_IDENTITY_SECRET: 'x'.repeat(32) };

function fakeExchange(method: string, headers: Record<string, string>) {
  const out = { status: 0, headers: {} as Record<string, string>, ended: false };
  const res = {
    setHeader: (k: string, v: string) => void (out.headers[k.toLowerCase()] = v),
    writeHead: (status: number, h: Record<string, string> = {}) => {
      out.status = status;
      for (const [k, v] of Object.entries(h)) out.headers[k.toLowerCase()] = v;
    },
    end: () => void (out.ended = true),
  } as unknown as ServerResponse;
  return { req: { method, headers } as unknown as IncomingMessage, res, out };
}

describe('gateway CORS', () => {
  it('parses origin entries: exact, any port, * ; refuses paths and junk', () => {
    assert.equal(parseOriginEntry(' https://App.Example.com '), 'https://app.example.com');
    assert.equal(parseOriginEntry('http://localhost:*'), 'http://localhost:*');
    assert.equal(parseOriginEntry('*'), '*');
    assert.equal(parseOriginEntry('https://app.example.com/'), undefined);
    assert.equal(parseOriginEntry('https://app.example.com/path'), undefined);
    assert.equal(parseOriginEntry('app.example.com'), undefined);
    assert.equal(parseOriginEntry('https://*.example.com'), undefined);
  });

  it('matches exact origins and any-port entries, nothing else', () => {
    const match = originMatcher(['https://app.example.com', 'http://localhost:*', 'https://b.example.com:443']);
    assert.ok(match('https://app.example.com'));
    assert.ok(match('https://APP.example.com'));
    assert.ok(match('https://b.example.com'));
    assert.ok(match('http://localhost:5173'));
    assert.ok(match('http://localhost'));
    assert.ok(!match('http://app.example.com'), 'scheme matters');
    assert.ok(!match('https://app.example.com:8443'), 'port matters');
    assert.ok(!match('https://app.example.com.evil.test'));
    assert.ok(!match('https://evil-app.example.com'));
    assert.ok(!match('http://localhost.evil.test:80'));
    assert.ok(!match('null'));
    assert.ok(originMatcher(['*'])('https://anything.test'));
    assert.ok(!originMatcher(['*'])('null'), 'an opaque origin is never allowed');
  });

  it('configuration: development default, production default empty, * refused in production, bad entries refused', () => {
    assert.deepEqual(gatewayConfigSchema.parse({ ...base }).GATEWAY_CORS_ORIGINS, ['http://localhost:*', 'http://127.0.0.1:*', 'https://studio.apollographql.com']);
    const prod = { ...base, NODE_ENV: 'production', OPS_TOKEN: 'o'.repeat(32) };
    assert.deepEqual(gatewayConfigSchema.parse(prod).GATEWAY_CORS_ORIGINS, []);
    assert.deepEqual(gatewayConfigSchema.parse({ ...prod, GATEWAY_CORS_ORIGINS: 'https://app.fintech.example, https://studio.apollographql.com' }).GATEWAY_CORS_ORIGINS, [
      'https://app.fintech.example',
      'https://studio.apollographql.com',
    ]);
    assert.equal(gatewayConfigSchema.safeParse({ ...prod, GATEWAY_CORS_ORIGINS: '*' }).success, false);
    assert.deepEqual(gatewayConfigSchema.parse({ ...base, GATEWAY_CORS_ORIGINS: '*' }).GATEWAY_CORS_ORIGINS, ['*']);
    assert.equal(gatewayConfigSchema.safeParse({ ...base, GATEWAY_CORS_ORIGINS: 'https://a.example/x' }).success, false);
    assert.equal(gatewayConfigSchema.parse({ ...base }).GATEWAY_CORS_MAX_AGE_SECONDS, 600);
    assert.equal(gatewayConfigSchema.parse({ ...base }).GATEWAY_TRUSTED_DOCUMENTS, false);
    assert.equal(gatewayConfigSchema.parse(prod).GATEWAY_TRUSTED_DOCUMENTS, false, 'off unless set, in production too');
  });

  const cors = createCors({ origins: ['https://app.example.com'], maxAgeSeconds: 600 });

  it('answers an allowed preflight with 204 and the methods, headers and max age; never credentials', () => {
    const { req, res, out } = fakeExchange('OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'POST' });
    assert.equal(cors(req, res), true);
    assert.equal(out.status, 204);
    assert.equal(out.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(out.headers['access-control-allow-methods'], 'POST, GET, OPTIONS');
    for (const h of ['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id', 'traceparent', 'apollographql-client-name', 'apollographql-client-version']) {
      assert.ok(out.headers['access-control-allow-headers']!.split(', ').includes(h), h);
    }
    assert.equal(out.headers['access-control-max-age'], '600');
    assert.equal(out.headers.vary, 'Origin');
    assert.equal(out.headers['access-control-allow-credentials'], undefined);
  });

  it('refuses a disallowed preflight with 403 and no CORS headers', () => {
    const { req, res, out } = fakeExchange('OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    assert.equal(cors(req, res), true);
    assert.equal(out.status, 403);
    assert.equal(Object.keys(out.headers).filter((h) => h.startsWith('access-control-')).length, 0);
  });

  it('lets actual requests through: allowed ones with CORS headers, others and same-origin ones without', () => {
    const allowed = fakeExchange('POST', { origin: 'https://app.example.com' });
    assert.equal(cors(allowed.req, allowed.res), false);
    assert.equal(allowed.out.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(allowed.out.headers['access-control-expose-headers']!, /x-request-id/);
    const other = fakeExchange('POST', { origin: 'https://evil.example' });
    assert.equal(cors(other.req, other.res), false);
    assert.equal(other.out.headers['access-control-allow-origin'], undefined);
    const none = fakeExchange('POST', {});
    assert.equal(cors(none.req, none.res), false);
    assert.equal(none.out.headers['access-control-allow-origin'], undefined);
    assert.equal(none.out.headers.vary, 'Origin', 'caches never serve one origin the reply of another');
  });
});
