import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export type HttpServerHandle = { server: Server; port: number; url: string; close(): Promise<void> };

const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
 * Serves an Apollo Server on node:http (the documented integration API, without a web framework:
 * fewer layers on the hot path). `routes` answer exact paths before GraphQL (health, metrics, JWKS).
 */
export function createGraphQLHandler<TContext extends BaseContext>(opts: {
  apollo: ApolloServer<TContext>;
  path?: string;
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
  routes?: Record<string, Route>;
  /** Runs the rest of the request inside it (for example AsyncLocalStorage for the correlation id). */
  wrap?: <T>(req: IncomingMessage, res: ServerResponse, next: () => Promise<T>) => Promise<T>;
}) {
  const path = opts.path ?? '/graphql';
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const run = async () => {
      const route = opts.routes?.[url.pathname];
      if (route) return route(req, res);
      if (url.pathname !== path) return sendJson(res, 404, { error: 'not found' });
      let body: unknown;
      try {
        const raw = req.method === 'POST' ? await readBody(req) : '';
        body = raw && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(raw) : raw;
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          return sendJson(res, 413, { errors: [{ message: 'Request body too large.', extensions: { code: 'BAD_REQUEST' } }] });
        }
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      }
      const response = await opts.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers: headerMapOf(req), search: url.search, body },
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
    try {
      await (opts.wrap ? opts.wrap(req, res, run) : run());
    } catch {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
}

/** Listens on host:port (port 0 picks a free one) and resolves once listening. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  opts: { port: number; host?: string; pathForUrl?: string },
): Promise<HttpServerHandle> {
  const server = createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
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
