import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { createErrorFormatter, forbidden, unauthenticated } from '@baas/errors';
import { applyPermissions, createPermissions, type DeniedInfo, type RuleTree } from '@baas/authz';
import { AUDIT_ACTIONS, createAuditLog, type AuditLog } from '@baas/audit';
import {
  childTraceparent,
  createMetrics,
  getRequestContext,
  newCorrelationId,
  runWithRequestContext,
  sanitizeCorrelationId,
  type Logger,
  type Metrics,
} from '@baas/observability';
import { CLIENT_ADDRESS_HEADER, CORRELATION_HEADER, DEVICE_ID_HEADER, IDENTITY_HEADER, sanitizeDeviceId, verifyClientAddress, verifyIdentityAssertion, type Identity } from '@baas/auth';
import { createGraphQLHandler, listen, sendJson, type HttpServerHandle, type Route } from './http';
import { hasBearer, opsRoutes, useSchemaAccess } from './internal-endpoints';
import { costSchemaOf, useQueryLimits } from './query-limits';
import type { SubgraphServiceConfig } from './subgraph-env';

/** What every subgraph resolver receives; a subgraph adds its own loaders and services. */
export type SubgraphContext = {
  identity: Identity | null;
  correlationId: string;
  logger: Logger;
  /** The audit trail; record() never blocks or throws. Null when AUDIT_ENABLED is off. */
  audit: AuditLog | null;
  /** The client's network address as the gateway vouched for it (signed header); null on direct or forged calls. */
  clientAddress?: string | null;
  /** The client app's device id (DEVICE_ID_HEADER), when well formed: a risk signal, never proof of anything. */
  deviceId?: string | null;
};

/** Codes that mean "refused": every one is written to the audit trail with who, what and the correlation id. */
const DENIAL_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'STEP_UP_REQUIRED']);

/** Writes every authorisation denial of a request (from the rules or from a resolver's own check) to the audit trail. */
export function auditDenials(audit: AuditLog): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          const denials = errors.filter((e) => DENIAL_CODES.has(String((e.originalError as { code?: unknown } | undefined)?.code ?? e.extensions?.code)));
          if (denials.length === 0) return;
          const who = contextValue.identity;
          for (const error of denials.slice(0, 20)) {
            audit.record({
              action: AUDIT_ACTIONS.authzDenied,
              outcome: 'denied',
              actor: who ? { kind: who.kind, subject: who.subject, tenantId: who.tenantId } : null,
              correlationId: contextValue.correlationId,
              reason: String((error.originalError as { code?: unknown } | undefined)?.code ?? error.extensions?.code),
              details: { path: (error.path ?? []).join('.'), operation: operationName ?? 'anonymous' },
            });
          }
        },
      };
    },
  };
}

/**
 * A subgraph accepts what the gateway may forward: the client's body (at most the gateway's 1 MiB)
 * grows in the query plan (renamed operations, expanded fragments, entity representations).
 */
export const SUBGRAPH_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Limits for operations sent to a subgraph directly: a multiple of the gateway's defaults, so a planned operation always fits. */
export const SUBGRAPH_QUERY_LIMITS = { maxDepth: 40, maxAliases: 300, maxCost: 100_000, defaultListSize: 100, maxTokens: 100_000 };

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

export type RunningSubgraph = HttpServerHandle & { name: string; metrics: Metrics; audit: AuditLog | null; stop(): Promise<void> };

/** Reads a subgraph's SDL file (schema-first: the .graphql file is the source of truth). */
export function loadTypeDefs(fileUrl: URL): DocumentNode {
  return parse(readFileSync(fileUrl, 'utf8'));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Logs and measures every operation; unexpected errors are logged once, with the correlation id. */
export function useRequestMetrics(opts: { logger: Logger; metrics: Metrics }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let failed = false;
      return {
        async didEncounterErrors() {
          failed = true;
        },
        async willSendResponse({ request, operationName }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = operationName ?? request.operationName ?? 'anonymous';
          opts.metrics.observeRequest({ operation, outcome: failed ? 'error' : 'ok' }, seconds);
          opts.logger.debug({ operation, outcome: failed ? 'error' : 'ok', ms: Math.round(seconds * 1000) }, 'graphql request');
        },
      };
    },
  };
}

/**
 * Starts a federated subgraph: Apollo Server over buildSubgraphSchema, the identity forwarded by the
 * gateway (verified, never taken on trust), the correlation id in every log line, masked errors,
 * /healthz, /readyz and /metrics.
 */
export async function startSubgraph<TContext extends SubgraphContext>(opts: {
  name: string;
  /** The subgraph's SDL file: `new URL('./schema.graphql', import.meta.url)`. */
  schema: URL;
  /** Resolver map (typed per subgraph by codegen). */
  resolvers: object;
  /**
   * Who may resolve each field (graphql-shield rules from @baas/authz). Default deny: a type or field
   * the tree does not name is refused, so a new field is closed until someone opens it on purpose.
   */
  permissions: RuleTree;
  config: SubgraphServiceConfig;
  logger: Logger;
  context: (base: SubgraphContext) => TContext | Promise<TContext>;
  readiness?: ReadinessCheck;
  routes?: Record<string, Route>;
  plugins?: ApolloServerPlugin<TContext>[];
  onStop?: () => Promise<void>;
  /** The service's metrics when it registered some before serving (models loaded at start); made here otherwise. */
  metrics?: Metrics;
}): Promise<RunningSubgraph> {
  const { logger } = opts;
  const production = opts.config.NODE_ENV === 'production';
  const opsToken = opts.config.OPS_TOKEN || undefined;
  if (production && !opsToken) throw new Error('OPS_TOKEN is required in production (it guards /metrics, /readyz details and the schema).');
  const metrics = opts.metrics ?? createMetrics({ service: opts.name });
  const audit = opts.config.AUDIT_ENABLED
    ? createAuditLog({ url: opts.config.AUDIT_MONGO_URL, database: opts.config.AUDIT_DATABASE, logger, service: opts.name })
    : null;
  // Index creation is idempotent; a MongoDB that is down only delays it (the audit buffer waits too).
  audit?.ensureIndexes().catch((error: unknown) => logger.warn({ err: error }, 'audit indexes not created yet'));
  const subgraphSchema = buildSubgraphSchema({ typeDefs: loadTypeDefs(opts.schema), resolvers: opts.resolvers as Parameters<typeof buildSubgraphSchema>[0] extends infer M ? M extends { resolvers?: infer R } ? R : never : never });
  const onDenied = (info: DeniedInfo) => {
    logger.info({ denied: `${info.typeName}.${info.fieldName}`, code: info.code, principal: info.identity ? `${info.identity.kind}:${info.identity.subject}` : 'anonymous' }, 'authorisation denied');
  };
  const apollo = new ApolloServer<TContext>({
    schema: applyPermissions(subgraphSchema, createPermissions(opts.permissions, { onDenied })),
    formatError: createErrorFormatter({
      correlationId: () => getRequestContext()?.correlationId,
      report: (error) => logger.error({ err: error }, 'unexpected error in resolver'),
    }),
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: SUBGRAPH_QUERY_LIMITS.maxTokens },
    // runService owns SIGINT/SIGTERM (a graceful stop of everything); Apollo's own handler, on outside tests, would race it.
    stopOnTerminationSignals: false,
    // No Apollo Studio here: inline traces (ftv1) would only add bytes to every response.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      useRequestMetrics({ logger, metrics }) as ApolloServerPlugin<TContext>,
      ...(audit ? [auditDenials(audit) as ApolloServerPlugin<TContext>] : []),
      // The port can be reached directly, not only through the gateway: the same limits hold here,
      // wider than the gateway's so an operation it planned always fits.
      useQueryLimits(SUBGRAPH_QUERY_LIMITS, costSchemaOf(subgraphSchema, { defaultListSize: SUBGRAPH_QUERY_LIMITS.defaultListSize })) as ApolloServerPlugin<TContext>,
      ...(production
        ? [useSchemaAccess<TContext>(({ context, headers }) => hasBearer({ headers }, opsToken) || context.identity?.kind === 'service' || context.identity?.kind === 'operator') as ApolloServerPlugin<TContext>]
        : []),
      ...(opts.plugins ?? []),
    ],
  });
  await apollo.start();

  const readiness = opts.readiness ?? (async () => ({}));
  const routes: Record<string, Route> = {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: opts.name }),
    ...opsRoutes({
      access: { token: opsToken },
      metrics,
      readiness: async () => {
        const checks = await readiness().catch((): Record<string, boolean> => ({ checks: false }));
        return { ready: Object.values(checks).every(Boolean), details: { service: opts.name, checks } };
      },
    }),
    ...opts.routes,
  };

  const handler = createGraphQLHandler<TContext>({
    apollo,
    routes,
    limits: { maxBodyBytes: opts.config.MAX_BODY_BYTES ?? SUBGRAPH_MAX_BODY_BYTES },
    wrap: (req, _res, next) =>
      runWithRequestContext(
        {
          correlationId: sanitizeCorrelationId(header(req, CORRELATION_HEADER)) ?? newCorrelationId(),
          traceparent: childTraceparent(header(req, 'traceparent')),
        },
        next,
      ),
    context: async (req) => {
      const identity = await verifyIdentityAssertion(header(req, IDENTITY_HEADER), opts.config.INTERNAL_IDENTITY_SECRET);
      const correlationId = getRequestContext()?.correlationId ?? newCorrelationId();
      const clientAddress = verifyClientAddress(header(req, CLIENT_ADDRESS_HEADER), opts.config.INTERNAL_IDENTITY_SECRET);
      const deviceId = sanitizeDeviceId(header(req, DEVICE_ID_HEADER));
      return opts.context({ identity, correlationId, logger, audit, clientAddress, deviceId });
    },
  });

  const handle = await listen(handler, { port: opts.config.PORT, host: opts.config.HOST });
  logger.info({ url: handle.url }, `${opts.name} subgraph listening`);
  return {
    ...handle,
    name: opts.name,
    metrics,
    audit,
    async stop() {
      await handle.close();
      await apollo.stop();
      await opts.onStop?.();
      await audit?.close();
    },
  };
}

/** Operators and internal services only (default deny for everyone else). */
export function requireInternal(identity: Identity | null): Identity {
  if (!identity) throw unauthenticated();
  if (identity.kind !== 'operator' && identity.kind !== 'service') throw forbidden();
  return identity;
}
