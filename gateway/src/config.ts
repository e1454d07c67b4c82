import { commonEnv, port, storeEnv, url, z } from '@baas/config';

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

export const gatewayConfigSchema = z.object({
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
  RATE_LIMIT_MAX: z.coerce.number().int().positive().default(1000),
  RATE_LIMIT_PREFIX: z.string().default('ratelimit'),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().positive().default(30),
  MAX_COST: z.coerce.number().int().positive().default(5000),
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().positive().default(5),
  BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
  HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(2_000),
  /** Trust X-Forwarded-For for the client IP (only behind a proxy you run). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
