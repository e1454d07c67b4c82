import { z } from 'zod';

export { z };

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

/** Validates an environment against a schema, collecting every problem instead of stopping at the first. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): ConfigResult<z.infer<S>> {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && env[String(issue.path[0])] === undefined;
    return `${name}: ${missing ? 'is required but missing' : issue.message}`;
  });
  return { ok: false, problems };
}

/**
 * The one place a process reads its environment: validates it, and on any problem prints every
 * missing or bad variable and exits 1, so a misconfigured service never half-starts.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  opts: { service: string; env?: Record<string, string | undefined> } = { service: 'service' },
): z.infer<S> {
  const result = parseConfig(schema, opts.env ?? process.env);
  if (result.ok) return result.config;
  process.stderr.write(
    `Invalid configuration for ${opts.service}:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}

/** A port number given as a string (0 means "any free port"). */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A boolean given as "true"/"false"/"1"/"0". */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** A URL with one of the given schemes. */
export const url = (...schemes: string[]) =>
  z.string().refine((value) => {
    try {
      return schemes.length === 0 || schemes.includes(new URL(value).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  }, `must be a URL (${schemes.join(', ')})`);

/** Variables every service shares, with local-development defaults that match scripts/services.sh. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const storeEnv = {
  DATABASE_URL: url('postgres', 'postgresql').default('postgresql://baas:baas@127.0.0.1:5432/baas'),
  REDIS_URL: url('redis', 'rediss').default('redis://127.0.0.1:6379'),
  NATS_URL: url('nats', 'tls').default('nats://127.0.0.1:4222'),
  NEO4J_URL: url('bolt', 'neo4j', 'bolt+s', 'neo4j+s').default('bolt://127.0.0.1:7687'),
  MONGO_URL: url('mongodb', 'mongodb+srv').default('mongodb://127.0.0.1:27017'),
};

/**
 * Relays' subject prefix: every relayed subject and its stream's subjects become `<prefix>.<subject>`.
 * Tests and side-by-side platforms on one NATS only (two streams may not share subjects); unset
 * in a deployment.
 */
export const eventsEnv = {
  EVENTS_SUBJECT_PREFIX: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/).optional(),
};

/** Reads the raw environment; only for tools (test harness, scripts) that pass it on to loadConfig. */
export function rawEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
