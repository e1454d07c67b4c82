import { commonEnv, port, storeEnv, url, z } from '@baas/config';
import { DEVELOPMENT_CORS_ORIGINS, parseOriginEntry } from './cors';

/** A flag with no default of its own: unset means "decided by NODE_ENV" (on outside production). */
const optionalFlag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

/** `name=url1|url2,name2=url3`: several instances of a subgraph behind one name. */
const subgraphUrls = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const out: Record<string, string[]> = {};
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [name, urls] = part.split('=');
      const list = (urls ?? '').split('|').map((u) => u.trim()).filter(Boolean);
      if (!name || list.length === 0 || list.some((u) => !/^https?:\/\//.test(u))) {
        ctx.addIssue({ code: 'custom', message: `bad entry "${part}": expected name=http://host:port/graphql|http://...` });
        return z.NEVER;
      }
      out[name] = list;
    }
    return out;
  });

/** `https://app.example.com,http://localhost:*`: exact origins (`:*` for any port); unset means the NODE_ENV default. */
const corsOrigins = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const out: string[] = [];
    for (const entry of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const parsed = parseOriginEntry(entry);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: `bad origin "${entry}": expected scheme://host[:port] (no path), scheme://host:* or *` });
        return z.NEVER;
      }
      out.push(parsed);
    }
    return out;
  });

export const gatewayConfigSchema = z
  .object({
  ...commonEnv,
  PORT: port(4000),
  HOST: z.string().default('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().default(new URL('../../schema/supergraph.graphql', import.meta.url).pathname),
  /** Overrides the routing URLs in the supergraph, and lists extra instances for load balancing. */
  SUBGRAPH_URLS: subgraphUrls,
  REDIS_URL: storeEnv.REDIS_URL,
  JWKS_URL: url('http', 'https').default('http://127.0.0.1:4101/.well-known/jwks.json'),
  /** The JWKS is cached this long; a token with an unknown kid refetches it, at most once per cooldown. */
  JWKS_CACHE_MAX_AGE_MS: z.coerce.number().int().min(0).default(600_000),
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  JWT_ISSUER: z.string().default('https://identity.baas.local'),
  JWT_AUDIENCE: z.string().default('baas-api'),
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Requests per window per principal (API client, customer, operator), counted after its token is verified. */
  RATE_LIMIT_MAX: z.coerce.number().int().positive().default(1000),
  /** Requests per window per client IP, counted before any token work (so bad tokens are limited too); default 5 x RATE_LIMIT_MAX. */
  RATE_LIMIT_IP_MAX: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_PREFIX: z.string().default('ratelimit'),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().positive().default(30),
  MAX_COST: z.coerce.number().int().positive().default(5000),
  /** Size assumed for a list field when neither the request, the schema's defaults nor `@listSize` give one. */
  QUERY_DEFAULT_LIST_SIZE: z.coerce.number().int().positive().default(100),
  /** Tokens a query document may have; parsing stops there (QUERY_TOO_LARGE). */
  MAX_TOKENS: z.coerce.number().int().positive().default(3000),
  MAX_OPERATION_NAME_LENGTH: z.coerce.number().int().positive().default(100),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** Introspection and the IDE: on outside production unless set; off in production unless set to true. */
  INTROSPECTION: optionalFlag,
  IDE: optionalFlag,
  /** Bearer token for /metrics and the details of /readyz; required in production (32+ characters). */
  OPS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().positive().default(5),
  BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
  HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(2_000),
  /** What one subgraph call may carry (the subgraphs' own MAX_BODY_BYTES), and how long it may take. */
  SUBGRAPH_MAX_BODY_BYTES: z.coerce.number().int().positive().default(8 * 1024 * 1024),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Trust X-Forwarded-For for the client IP (only behind a proxy you run). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Browser origins allowed to call /graphql (docs/gateway-clients.md). Unset: none in production; localhost and Apollo Studio otherwise. */
  GATEWAY_CORS_ORIGINS: corsOrigins,
  /** How long a browser may cache a preflight answer. */
  GATEWAY_CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** Only the operations of GATEWAY_PERSISTED_OPERATIONS_PATH run (trusted documents); off unless set. */
  GATEWAY_TRUSTED_DOCUMENTS: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  /** Identical queries in flight to one subgraph (same document, variables and caller) share one call; nothing is cached. */
  GATEWAY_DEDUPE_INFLIGHT: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  GATEWAY_PERSISTED_OPERATIONS_PATH: z.string().default(new URL('../../schema/persisted-operations.json', import.meta.url).pathname),
  })
  .refine((c) => c.NODE_ENV !== 'production' || Boolean(c.OPS_TOKEN), { message: 'is required in production', path: ['OPS_TOKEN'] })
  .refine((c) => c.NODE_ENV !== 'production' || !c.GATEWAY_CORS_ORIGINS?.includes('*'), { message: '* is refused in production: list the exact origins', path: ['GATEWAY_CORS_ORIGINS'] })
  .transform((c) => ({
    ...c,
    RATE_LIMIT_IP_MAX: c.RATE_LIMIT_IP_MAX ?? c.RATE_LIMIT_MAX * 5,
    INTROSPECTION: c.INTROSPECTION ?? c.NODE_ENV !== 'production', IDE: c.IDE ?? c.NODE_ENV !== 'production',
    GATEWAY_CORS_ORIGINS: c.GATEWAY_CORS_ORIGINS ?? (c.NODE_ENV === 'production' ? [] : DEVELOPMENT_CORS_ORIGINS),
  }));

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
