import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { CORRELATION_HEADER } from '@baas/auth';
import { ERROR_CODES, type ErrorCode } from '@baas/errors';
import { getRequestContext, newCorrelationId, runWithRequestContext, sanitizeCorrelationId } from '@baas/observability';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The route answering `pathname`: the exact key first; else the longest key ending in `/*` whose
 * prefix (everything before the `*`, trailing slash included) starts the path with at least one more
 * character (`/pix/v2/cob/*` answers `/pix/v2/cob/abc`, not `/pix/v2/cob/` nor `/pix/v2/cob`). The
 * route reads the rest from `req.url`.
 */
export function routeFor(routes: Record<string, Route> | undefined, pathname: string): Route | undefined {
  if (!routes) return undefined;
  const exact = Object.hasOwn(routes, pathname) ? routes[pathname] : undefined;
  if (exact) return exact;
  let best: { length: number; route: Route } | undefined;
  for (const [key, route] of Object.entries(routes)) {
    if (!key.endsWith('/*')) continue;
    const prefix = key.slice(0, -1);
    if (pathname.length > prefix.length && pathname.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, route };
  }
  return best?.route;
}

export type HttpServerHandle = { server: Server; port: number; url: string; close(): Promise<void> };

/** The default body limit of the gateway; subgraphs accept more (what the gateway forwards is larger than what it receives). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Nesting of a JSON body (variables included) beyond which it is refused before GraphQL sees it. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export type HttpLimits = { maxBodyBytes?: number; maxJsonDepth?: number };

class BodyTooLarge extends Error {}

/** Reads the body up to `max` bytes; past that it stops reading (paused) and rejects with BodyTooLarge. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      reject(new BodyTooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/** The deepest nesting of arrays and objects in a parsed JSON value (iterative: no stack to overflow). */
export function jsonDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d]);
  }
  return max;
}

/** GET carries variables and extensions as JSON in the query string: the same depth rule as a POST body. */
function tooDeepSearchParams(params: URLSearchParams, maxDepth: number): boolean {
  for (const name of ['variables', 'extensions']) {
    const raw = params.get(name);
    if (!raw) continue;
    try {
      if (jsonDepth(JSON.parse(raw), maxDepth) > maxDepth) return true;
    } catch {
      // not JSON: Apollo Server answers it as a bad request
    }
  }
  return false;
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A refusal made outside GraphQL execution (bad JSON, too large, rate limited, not found): the same
 * shape and stable `extensions.code` as any GraphQL error, with the request's correlation id in the
 * body and the `x-request-id` header. `close` ends the connection after the reply (used when the
 * rest of the body is left unread, so nothing stale is parsed as the next request).
 */
export function sendError(res: ServerResponse, code: ErrorCode, message: string = ERROR_CODES[code].message, opts: { extensions?: Record<string, unknown>; headers?: Record<string, string>; close?: boolean } = {}): void {
  const correlationId = getRequestContext()?.correlationId;
  if (correlationId && !res.headersSent && !res.hasHeader(CORRELATION_HEADER)) res.setHeader(CORRELATION_HEADER, correlationId);
  for (const [name, value] of Object.entries(opts.headers ?? {})) res.setHeader(name, value);
  if (opts.close) res.setHeader('connection', 'close');
  sendJson(res, ERROR_CODES[code].http, { errors: [{ message, extensions: { code, ...opts.extensions, ...(correlationId ? { correlationId } : {}) } }] });
}

/**
 * After a refusal that leaves the request body unread: the reply says `Connection: close`; the rest
 * of the body is read and discarded (up to `limit` bytes, so the client can read the reply before
 * the socket goes), then the socket is destroyed. A keep-alive client never waits on a dead socket.
 */
function discardAndClose(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const socket = req.socket as Socket;
  let discarded = 0;
  const finish = () => socket.destroy();
  const timer = setTimeout(finish, 2_000);
  timer.unref();
  res.once('finish', () => {
    if (req.complete) {
      clearTimeout(timer);
      socket.end();
    }
  });
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) finish();
  });
  req.once('end', () => {
    clearTimeout(timer);
    if (res.writableFinished) socket.end();
  });
  req.resume();
}

/**
 * Serves an Apollo Server on node:http (the documented integration API, without a web framework:
 * fewer layers on the hot path). `routes` answer paths before GraphQL (health, metrics, JWKS): a key
 * is an exact path, or a prefix when it ends in `/*` (see `routeFor`: exact keys win, then the longest prefix).
 * The edge rules hold for the gateway and every subgraph alike: a body over `maxBodyBytes` is a 413
 * `PAYLOAD_TOO_LARGE` and the connection is closed; bad JSON, JSON nested deeper than
 * `maxJsonDepth` and batched (array) bodies are 400 `BAD_REQUEST`; other methods than GET and POST
 * on the GraphQL path are 405 `METHOD_NOT_ALLOWED`; unknown paths 404 `NOT_FOUND`; every reply
 * carries the correlation id.
 */
export function createGraphQLHandler<TContext extends BaseContext>(opts: {
  apollo: ApolloServer<TContext>;
  path?: string;
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
  routes?: Record<string, Route>;
  /** Runs the rest of the request inside it (for example AsyncLocalStorage for the correlation id). */
  wrap?: <T>(req: IncomingMessage, res: ServerResponse, next: () => Promise<T>) => Promise<T>;
  limits?: HttpLimits;
}) {
  const path = opts.path ?? '/graphql';
  const maxBody = opts.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxDepth = opts.limits?.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const run = async () => {
      const correlationId = getRequestContext()?.correlationId;
      if (correlationId && !res.hasHeader(CORRELATION_HEADER)) res.setHeader(CORRELATION_HEADER, correlationId);
      const route = routeFor(opts.routes, url.pathname);
      if (route) return route(req, res);
      if (url.pathname !== path) return sendError(res, 'NOT_FOUND', 'Not found.');
      const method = (req.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'POST') {
        sendError(res, 'METHOD_NOT_ALLOWED', `${method} is not allowed here: use POST (or GET for queries).`, { headers: { allow: 'GET, POST' }, close: !req.complete });
        if (!req.complete) discardAndClose(req, res, maxBody);
        return;
      }
      const declared = Number(req.headers['content-length']);
      if (method === 'POST' && Number.isFinite(declared) && declared > maxBody) {
        sendError(res, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBody} bytes.`, { extensions: { limit: maxBody }, close: true });
        discardAndClose(req, res, maxBody);
        return;
      }
      let body: unknown;
      try {
        const raw = method === 'POST' ? await readBody(req, maxBody) : '';
        body = raw && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(raw) : raw;
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          sendError(res, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBody} bytes.`, { extensions: { limit: maxBody }, close: true });
          discardAndClose(req, res, maxBody);
          return;
        }
        return sendError(res, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
      if (method === 'GET' && tooDeepSearchParams(url.searchParams, maxDepth)) {
        return sendError(res, 'BAD_REQUEST', `The variables or extensions are nested deeper than ${maxDepth} levels.`, { extensions: { limit: maxDepth } });
      }
      if (Array.isArray(body)) return sendError(res, 'BAD_REQUEST', 'Batched requests (a JSON array) are not supported: send one operation per request.');
      if (body !== null && typeof body === 'object' && jsonDepth(body, maxDepth) > maxDepth) {
        return sendError(res, 'BAD_REQUEST', `The request body is nested deeper than ${maxDepth} levels.`, { extensions: { limit: maxDepth } });
      }
      const response = await opts.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers: headerMapOf(req), search: url.search, body },
        context: () => opts.context(req, res),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    };
    // Every request has a correlation id, even where the caller's wrap sets none.
    const withContext = () =>
      getRequestContext() ? run() : runWithRequestContext({ correlationId: sanitizeCorrelationId(firstHeader(req, CORRELATION_HEADER)) ?? newCorrelationId() }, run);
    try {
      await (opts.wrap ? opts.wrap(req, res, withContext) : withContext());
    } catch {
      if (!res.headersSent) sendError(res, 'INTERNAL_SERVER_ERROR');
      else res.end();
    }
  };
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A request Node cannot parse (headers or URL over `maxHeaderSize`, a malformed request line): a
 * coded JSON reply with a fresh correlation id, and the connection closed.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const code: ErrorCode = tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST';
  const correlationId = newCorrelationId();
  const body = JSON.stringify({ errors: [{ message: tooLarge ? 'The request headers (or URL) are too large.' : 'The request is malformed.', extensions: { code, correlationId } }] });
  const status = ERROR_CODES[code].http;
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${CORRELATION_HEADER}: ${correlationId}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Listens on host:port (port 0 picks a free one) and resolves once listening. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  opts: { port: number; host?: string; pathForUrl?: string },
): Promise<HttpServerHandle> {
  // 16 KiB of headers (URL included): a GET query longer than that is refused by the parser (431).
  const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  // Slow clients cannot hold sockets open forever (slowloris): headers within 20 s, the whole request within 60 s.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.on('clientError', answerClientError);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${opts.pathForUrl ?? '/graphql'}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
