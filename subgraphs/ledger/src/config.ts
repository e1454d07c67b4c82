import { eventsEnv, flag, storeEnv, z } from '@baas/config';
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
  /** Publish the outbox to JetStream from this instance (one relay wins the lock at a time). */
  LEDGER_OUTBOX_RELAY: flag(true),
  LEDGER_STREAM: z.string().default('LEDGER'),
});

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
