import { commonEnv, eventsEnv, flag, storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const ledgerConfigSchema = z.object({
  ...subgraphEnv(4103),
  DATABASE_URL: storeEnv.DATABASE_URL,
  NATS_URL: storeEnv.NATS_URL,
  ...eventsEnv,
  /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints; a development key is generated when absent outside production. */
  LEDGER_CHECKPOINT_KEY: z.string().optional(),
  LEDGER_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  LEDGER_EXPIRY_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  LEDGER_MAX_BATCH: z.coerce.number().int().min(1).max(8190).default(4096),
  LEDGER_POOL_SIZE: z.coerce.number().int().min(2).default(10),
  /** Publish the outbox to JetStream from this instance (one relay wins the lock at a time); false where the relay runs as its own process (workers/relay-main.ts, what npm start does). */
  LEDGER_OUTBOX_RELAY: flag(true),
  LEDGER_STREAM: z.string().default('LEDGER'),
});

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;

/**
 * The ledger's outbox relay as a process of its own (workers/relay-main.ts): a core of its own beside the
 * writer, so the relay keeps up with batched writes (bench/README.md). /healthz, /readyz and
 * /metrics (the relay's lag) on its port; OPS_TOKEN guards them as on a subgraph.
 */
const relayServerEnv = subgraphEnv(4109);

export const ledgerRelayConfigSchema = z.object({
  ...commonEnv,
  PORT: relayServerEnv.PORT,
  HOST: relayServerEnv.HOST,
  /** Bearer token for /metrics and /readyz details; required in production. */
  OPS_TOKEN: relayServerEnv.OPS_TOKEN,
  DATABASE_URL: storeEnv.DATABASE_URL,
  NATS_URL: storeEnv.NATS_URL,
  ...eventsEnv,
  LEDGER_STREAM: z.string().default('LEDGER'),
});

export type LedgerRelayConfig = z.infer<typeof ledgerRelayConfigSchema>;
