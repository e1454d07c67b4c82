import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for browser clients on other origins (a tenant's web app, Apollo Sandbox/Studio). One allow
 * list for the whole gateway, not per tenant: a preflight carries no Authorization header, so the
 * gateway cannot know the tenant when it answers it. Credentials are Bearer tokens in a header,
 * never cookies: `Access-Control-Allow-Credentials` is never sent, so a browser never attaches
 * cookies or client certificates, and an allowed origin gains nothing an attacker page could use.
 */

/** Request headers a browser may send cross-origin (the preflight's Access-Control-Allow-Headers). */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'traceparent',
  'x-device-id',
  'apollographql-client-name',
  'apollographql-client-version',
];
/** Response headers a browser script may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'retry-after', 'www-authenticate'];
export const CORS_ALLOWED_METHODS = ['POST', 'GET', 'OPTIONS'];

/** Outside production when GATEWAY_CORS_ORIGINS is unset: local web apps on any port, and Apollo Studio/Sandbox. */
export const DEVELOPMENT_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'https://studio.apollographql.com'];

const ENTRY = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}|\*))?$/;

/** `*`, or `scheme://host[:port]` with `:*` for any port: lower case, no path, no trailing slash. Undefined when malformed. */
export function parseOriginEntry(entry: string): string | undefined {
  const value = entry.trim().toLowerCase();
  if (value === '*') return value;
  return ENTRY.test(value) ? value : undefined;
}

export type OriginMatcher = (origin: string) => boolean;

/** Exact origins (default ports are dropped, as browsers do) and `scheme://host:*` entries. */
export function originMatcher(entries: readonly string[]): OriginMatcher {
  if (entries.includes('*')) return (origin) => origin !== 'null';
  const exact = new Set<string>();
  const anyPort: string[] = [];
  for (const entry of entries) {
    if (entry.endsWith(':*')) anyPort.push(entry.slice(0, -2));
    else exact.add(entry.replace(/^http:\/\/(.+):80$/, 'http://$1').replace(/^https:\/\/(.+):443$/, 'https://$1'));
  }
  return (origin) => {
    const value = origin.toLowerCase();
    if (exact.has(value)) return true;
    const m = /^(https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:]+\]))(?::\d{1,5})?$/.exec(value);
    return m !== null && anyPort.includes(m[1]!);
  };
}

export type CorsOptions = { origins: readonly string[]; maxAgeSeconds: number };

/**
 * Returns a step for the GraphQL path: it sets the CORS headers of an allowed origin and answers a
 * preflight (204 for an allowed origin, 403 with no CORS headers for any other). True when it
 * answered the request; false when the request goes on (a disallowed origin's simple request goes
 * on without CORS headers: the browser then withholds the reply from the page).
 */
export function createCors(opts: CorsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = originMatcher(opts.origins);
  const allowHeaders = CORS_ALLOWED_HEADERS.join(', ');
  const exposeHeaders = CORS_EXPOSED_HEADERS.join(', ');
  const allowMethods = CORS_ALLOWED_METHODS.join(', ');
  return (req, res) => {
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && origin !== undefined;
    if (origin === undefined) return false;
    if (!allowed(origin)) {
      if (!preflight) return false;
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Origin not allowed.');
      return true;
    }
    res.setHeader('access-control-allow-origin', origin);
    if (!preflight) {
      res.setHeader('access-control-expose-headers', exposeHeaders);
      return false;
    }
    res.writeHead(204, {
      'access-control-allow-methods': allowMethods,
      'access-control-allow-headers': allowHeaders,
      'access-control-max-age': String(opts.maxAgeSeconds),
      'content-length': '0',
    });
    res.end();
    return true;
  };
}
