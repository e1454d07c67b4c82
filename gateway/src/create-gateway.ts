import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { Kind, parse } from 'graphql';
import { Redis } from 'ioredis';
import { createRemoteJWKSet } from 'jose';
import { CORRELATION_HEADER, DEVICE_ID_HEADER, createAccessTokenVerifier, sanitizeDeviceId, type Identity, signClientAddress } from '@baas/auth';
import { createErrorFormatter, DomainError } from '@baas/errors';
import {
  childTraceparent,
  createMetrics,
  getRequestContext,
  newCorrelationId,
  runWithRequestContext,
  sanitizeCorrelationId,
  logClientErrors,
  type Logger,
} from '@baas/observability';
import {
  costSchemaFromSdl,
  createGraphQLHandler,
  createKeepAliveFetch,
  listen,
  opsRoutes,
  sendError,
  sendJson,
  useQueryLimits,
  useRequestMetrics,
  type HttpServerHandle,
} from '@baas/server';
import { createAssertionSigner } from './assertion-signer';
import { RoundRobinBalancer, healthUrlOf } from './balancer';
import { CircuitBreaker } from './circuit-breaker';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { createCors } from './cors';
import { PERSISTED_QUERY_NOT_ALLOWED, persistedQueryOptions } from './persisted-operations';
import { ideRoutes } from './ide';
import { createRateLimits, type RateLimitDecision } from './rate-limit';
import { SubgraphDataSource } from './subgraph-data-source';

export type RunningGateway = HttpServerHandle & {
  breakers: Map<string, CircuitBreaker>;
  balancers: Map<string, RoundRobinBalancer>;
  stop(): Promise<void>;
};

type RequestState = { identity: Identity | null; started: bigint; principal: string };

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? header(req, 'x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/** The routing URL of every subgraph, read from the supergraph's `join__Graph` enum. */
export function subgraphUrlsOf(supergraphSdl: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (name: string) => {
        const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      const name = arg('name');
      const url = arg('url');
      if (name && url) out.set(name, url);
    }
  }
  return out;
}

/** graphql-js's token limit refusal ("Document contains more than N tokens"), answered as QUERY_TOO_LARGE. */
const TOKEN_LIMIT = /contains more tha[nt] \d+ tokens/; // graphql-js 16 writes "more that"

function setRateLimitHeaders(res: ServerResponse, policy: string, decision: RateLimitDecision): void {
  res.setHeader('RateLimit-Policy', policy);
  res.setHeader('RateLimit-Limit', String(decision.limit));
  res.setHeader('RateLimit-Remaining', String(decision.remaining));
  res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
}

/**
 * The gateway: Apollo Gateway over the checked-in supergraph, with JWT verification, Redis rate
 * limits, query limits, correlation ids, metrics, health and readiness, a circuit breaker and
 * round-robin balancing per subgraph, and a local GraphiQL.
 */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  const metrics = createMetrics({ service: 'gateway' });
  const breakers = new Map<string, CircuitBreaker>();
  const balancers = new Map<string, RoundRobinBalancer>();
  for (const [name, url] of subgraphUrlsOf(supergraphSdl)) {
    balancers.set(name, new RoundRobinBalancer(name, config.SUBGRAPH_URLS[name] ?? [url]));
    breakers.set(
      name,
      new CircuitBreaker(name, {
        failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
        resetMs: config.BREAKER_RESET_MS,
        onChange: (subgraph, state) => logger.warn({ subgraph, state }, 'circuit breaker changed state'),
      }),
    );
  }

  const subgraphFetch = createKeepAliveFetch();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      new SubgraphDataSource(
        name,
        balancers.get(name)!,
        breakers.get(name)!,
        subgraphFetch,
        (subgraph, outcome, seconds) => metrics.observeSubgraph({ subgraph, outcome }, seconds),
        { maxBodyBytes: config.SUBGRAPH_MAX_BODY_BYTES, timeoutMs: config.SUBGRAPH_TIMEOUT_MS }, config.GATEWAY_DEDUPE_INFLIGHT,
      ),
  });

  const formatError = createErrorFormatter({
    correlationId: () => getRequestContext()?.correlationId,
    report: (error) => logger.error({ err: error }, 'unexpected error'),
  });
  // The cost estimate reads the supergraph: list fields, their page arguments and defaults, @listSize.
  const costSchema = costSchemaFromSdl(supergraphSdl, { defaultListSize: config.QUERY_DEFAULT_LIST_SIZE });
  const persisted = persistedQueryOptions<GatewayContext>({ manifestPath: config.GATEWAY_PERSISTED_OPERATIONS_PATH, trusted: config.GATEWAY_TRUSTED_DOCUMENTS });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // APQ over the manifest's operations; csrfPrevention stays Apollo's default (on): docs/gateway-clients.md.
    persistedQueries: persisted.persistedQueries,
    // Off in production unless INTROSPECTION=true (the schema is a map for attackers).
    introspection: config.INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    // runService owns SIGINT/SIGTERM (a graceful stop of everything); Apollo's own handler, on outside tests, would race it.
    stopOnTerminationSignals: false,
    // Parsing stops at MAX_TOKENS: a huge document costs at most that much work before it is refused.
    parseOptions: { maxTokens: config.MAX_TOKENS },
    formatError: (formatted, error) => {
      if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.test(formatted.message)) {
        return formatError({ ...formatted, message: `The query has more than ${config.MAX_TOKENS} tokens.`, extensions: { code: 'QUERY_TOO_LARGE', limit: config.MAX_TOKENS } }, formatted);
      }
      if (formatted.extensions?.code === PERSISTED_QUERY_NOT_ALLOWED) return { message: formatted.message, extensions: { code: PERSISTED_QUERY_NOT_ALLOWED, correlationId: getRequestContext()?.correlationId } };
      return formatError(formatted, error);
    },
    plugins: [
      useQueryLimits(
        { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_COST, maxOperationNameLength: config.MAX_OPERATION_NAME_LENGTH },
        costSchema,
      ),
      useRequestMetrics({ logger, metrics }),
      ...persisted.plugins,
    ],
  });
  await apollo.start();
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true }); // one write per tick
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  const onLimiterError = (err: unknown) => logger.error({ err }, 'rate limiter unavailable; letting the request through');
  const limits = createRateLimits({
    redis,
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    prefix: config.RATE_LIMIT_PREFIX,
    byAddress: config.RATE_LIMIT_IP_MAX,
    byPrincipal: config.RATE_LIMIT_MAX,
    onError: onLimiterError,
  });
  const jwks = createRemoteJWKSet(new URL(config.JWKS_URL), { cooldownDuration: config.JWKS_COOLDOWN_MS, cacheMaxAge: config.JWKS_CACHE_MAX_AGE_MS, timeoutDuration: 2_000 });
  const verifyAccessToken = createAccessTokenVerifier(jwks, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });

  // Active health checks feed the balancers, so a stopped instance is skipped before a request fails on it.
  const checkHealth = async () => {
    await Promise.all(
      [...balancers.values()].flatMap((balancer) =>
        balancer.urls.map(async (url) => {
          const ok = await fetch(healthUrlOf(url), { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
          balancer.mark(url, ok);
        }),
      ),
    );
  };
  await checkHealth();
  const healthTimer = setInterval(() => {
    checkHealth().catch((err: unknown) => logger.warn({ err }, 'subgraph health check failed'));
  }, config.HEALTH_CHECK_INTERVAL_MS);
  healthTimer.unref();

  const states = new WeakMap<IncomingMessage, RequestState>();
  const signAssertion = createAssertionSigner(config.INTERNAL_IDENTITY_SECRET);
  const cors = createCors({ origins: config.GATEWAY_CORS_ORIGINS, maxAgeSeconds: config.GATEWAY_CORS_MAX_AGE_SECONDS });
  const handler = createGraphQLHandler<GatewayContext>({
    apollo,
    limits: { maxBodyBytes: config.MAX_BODY_BYTES },
    routes: {
      ...(config.IDE ? ideRoutes() : {}),
      '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
      // Public: ready or not. With the OPS_TOKEN bearer: Redis and every subgraph instance.
      ...opsRoutes({
        access: { token: config.OPS_TOKEN },
        metrics,
        readiness: async () => {
          const subgraphs = Object.fromEntries([...balancers].map(([name, b]) => [name, { healthy: b.anyHealthy, breaker: breakers.get(name)!.current, instances: b.status }]));
          const redisOk = await redis.ping().then((r) => r === 'PONG', () => false);
          return { ready: redisOk && Object.values(subgraphs).every((s) => s.healthy), details: { redis: redisOk, subgraphs } };
        },
      }),
    },
    wrap: (req, res, next) => {
      const correlationId = sanitizeCorrelationId(header(req, CORRELATION_HEADER)) ?? newCorrelationId();
      const traceparent = childTraceparent(header(req, 'traceparent'));
      return runWithRequestContext({ correlationId, traceparent }, async () => {
        const started = process.hrtime.bigint();
        res.setHeader(CORRELATION_HEADER, correlationId);
        res.on('finish', () => {
          const state = states.get(req);
          logger.info(
            { method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000, principal: state?.principal ?? 'anonymous' },
            'request',
          );
        });
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (path !== '/graphql') return next();
        if (cors(req, res)) return undefined as never; // before the rate limits: a preflight carries no token
        if (config.IDE && req.method === 'GET' && (header(req, 'accept') ?? '').includes('text/html')) {
          res.writeHead(302, { location: '/ide' });
          res.end();
          return undefined as never;
        }

        const ip = clientIp(req, config.TRUST_PROXY);
        const refuseIfLimited = (decision: RateLimitDecision, policy: string): boolean => {
          setRateLimitHeaders(res, policy, decision);
          if (decision.allowed) return false;
          sendError(res, 'RATE_LIMITED', `Rate limit of ${decision.limit} requests per ${config.RATE_LIMIT_WINDOW_SECONDS} s exceeded; retry in ${decision.resetSeconds} s.`, {
            extensions: { retryAfterSeconds: decision.resetSeconds },
            headers: { 'retry-after': String(decision.resetSeconds) },
          });
          return true;
        };
        // By address before any token work (guessing tokens is limited too), then by principal. A
        // token verified a moment ago has no work left to protect: both counted in one round trip.
        const authorization = header(req, 'authorization');
        const token = authorization ? /^Bearer\s+(.+)$/i.exec(authorization)?.[1] : undefined;
        let identity: Identity | null = token ? verifyAccessToken.remembered(token) : null;
        if (!authorization || identity) {
          const principalKey = identity ? `${identity.kind}:${identity.subject}` : `ip:${ip}`;
          const both = await limits.both(ip, principalKey);
          if (refuseIfLimited(both.address, limits.addressPolicy) || refuseIfLimited(both.principal, limits.principalPolicy)) return undefined as never;
        } else {
          if (refuseIfLimited(await limits.address(ip), limits.addressPolicy)) return undefined as never;
          try {
            if (!token) throw new DomainError('UNAUTHENTICATED', 'Use an Authorization: Bearer <access token> header.');
            identity = await verifyAccessToken(token);
          } catch (error) {
            sendError(res, 'UNAUTHENTICATED', error instanceof DomainError ? error.message : 'The access token is not valid.', { headers: { 'www-authenticate': 'Bearer' } });
            return undefined as never;
          }
          if (refuseIfLimited(await limits.principal(`${identity.kind}:${identity.subject}`), limits.principalPolicy)) return undefined as never;
        }
        states.set(req, { identity, started, principal: identity?.kind ?? 'anonymous' });
        return next();
      });
    },
    context: async (req) => {
      const requestContext = getRequestContext();
      const identity = states.get(req)?.identity ?? null;
      let assertion: Promise<string | null> | undefined;
      let address: string | undefined;
      return {
        identity,
        correlationId: requestContext?.correlationId ?? newCorrelationId(),
        traceparent: requestContext?.traceparent,
        identityAssertion: () => (assertion ??= identity ? signAssertion(identity) : Promise.resolve(null)),
        clientAddress: () => (address ??= signClientAddress(clientIp(req, config.TRUST_PROXY), config.INTERNAL_IDENTITY_SECRET)),
        deviceId: sanitizeDeviceId(req.headers[DEVICE_ID_HEADER]),
      };
    },
  });

  const handle = await listen(handler, { port: config.PORT, host: config.HOST });
  logger.info({ url: handle.url }, 'gateway listening');
  return {
    ...handle,
    breakers,
    balancers,
    async stop() {
      clearInterval(healthTimer);
      await handle.close();
      await apollo.stop();
      subgraphFetch.close();
      redis.disconnect();
    },
  };
}
