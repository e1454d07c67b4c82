import { commonEnv, flag, port, storeEnv, z } from '@baas/config';

/** The variables every subgraph reads, with its default port; a subgraph adds its stores. */
export function subgraphEnv(defaultPort: number) {
  return {
    ...commonEnv,
    PORT: port(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** The audit trail (authentication events, authorisation denials): MongoDB, append-only. */
    AUDIT_ENABLED: flag(true),
    AUDIT_MONGO_URL: storeEnv.MONGO_URL,
    AUDIT_DATABASE: z.string().default('baas_audit'),
    /** Bearer token for /metrics, /readyz details and (in production) the schema; required in production. */
    OPS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Largest request body; above the gateway's own limit, since what it forwards is larger than what it receives. */
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(8 * 1024 * 1024),
  };
}

export type SubgraphServiceConfig = {
  NODE_ENV?: string;
  OPS_TOKEN?: string;
  MAX_BODY_BYTES?: number;
  PORT: number;
  HOST: string;
  INTERNAL_IDENTITY_SECRET: string;
  AUDIT_ENABLED: boolean;
  AUDIT_MONGO_URL: string;
  AUDIT_DATABASE: string;
};
