import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Kind, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { codedGraphQLError } from '@baas/errors';
import type { Metrics } from '@baas/observability';
import { sendError, sendJson, type Route } from './http';

/**
 * Operators' endpoints (metrics, detailed readiness) and the schema itself are internal. The rule,
 * the same for the gateway and every subgraph:
 * - `/metrics` and the details of `/readyz` need `Authorization: Bearer <OPS_TOKEN>`; the public
 *   `/readyz` says only ready or not ready (200/503). OPS_TOKEN is required in production; without
 *   one (development, tests) these endpoints are open.
 * - Introspection (`__schema`, `__type`) and federation's `_service` on a subgraph in production
 *   answer only internal callers: the OPS_TOKEN bearer or a verified service/operator identity.
 */
export type OpsAccess = { token: string | undefined };

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function hasBearer(req: IncomingMessage | { headers: { get(name: string): string | undefined | null } }, token: string | undefined): boolean {
  if (!token) return false;
  const raw = 'get' in req.headers && typeof req.headers.get === 'function' ? req.headers.get('authorization') : (req as IncomingMessage).headers.authorization;
  const given = /^Bearer\s+(.+)$/i.exec(typeof raw === 'string' ? raw : '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** Open without a configured token (development only: production requires one); else only with it. */
export function isOpsCaller(req: IncomingMessage, access: OpsAccess): boolean {
  return access.token ? hasBearer(req, access.token) : true;
}

export type Readiness = { ready: boolean; details: Record<string, unknown> };

/** `/readyz` and `/metrics` under the rule above. */
export function opsRoutes(opts: { access: OpsAccess; metrics: Metrics; readiness: () => Promise<Readiness> }): Record<string, Route> {
  return {
    '/readyz': async (req, res) => {
      const { ready, details } = await opts.readiness().catch(() => ({ ready: false, details: {} }));
      const status = ready ? 'ready' : 'not ready';
      sendJson(res, ready ? 200 : 503, isOpsCaller(req, opts.access) ? { status, ...details } : { status });
    },
    '/metrics': async (req, res) => {
      if (!isOpsCaller(req, opts.access)) {
        return sendError(res, 'UNAUTHENTICATED', 'Metrics need the operations token: Authorization: Bearer <OPS_TOKEN>.', { headers: { 'www-authenticate': 'Bearer' } });
      }
      const { contentType, body } = await opts.metrics.render();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
    },
  };
}

const SCHEMA_FIELDS = new Set(['__schema', '__type', '_service']);

/** Whether an operation asks for the schema (introspection or federation's `_service`). */
export function readsSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (SCHEMA_FIELDS.has(node.name.value)) {
        found = true;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Refuses schema reads (FORBIDDEN) unless `allowed` says the caller may: used by subgraphs in
 * production, where the port can be reached directly.
 */
export function useSchemaAccess<TContext>(allowed: (opts: { context: TContext; headers: { get(name: string): string | undefined | null } }) => boolean): ApolloServerPlugin<TContext & object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue, request }) {
          if (!readsSchema(document)) return;
          const headers = request.http?.headers ?? { get: () => undefined };
          if (!allowed({ context: contextValue as TContext, headers })) {
            throw codedGraphQLError('FORBIDDEN', 'The schema is not available to this caller.');
          }
        },
      };
    },
  };
}
