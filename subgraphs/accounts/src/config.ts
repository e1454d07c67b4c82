import { flag, storeEnv, url, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const accountsConfigSchema = z.object({
  ...subgraphEnv(4102),
  DATABASE_URL: storeEnv.DATABASE_URL,
  REDIS_URL: storeEnv.REDIS_URL,
  NATS_URL: storeEnv.NATS_URL,
  /** The ledger subgraph, called as the internal service `accounts` (signed identity assertion). */
  LEDGER_URL: url('http', 'https').default('http://127.0.0.1:4103/graphql'),
  /** A sandbox deployment: tenants may credit play money to their accounts (fundSandboxAccount). */
  SANDBOX: flag(true),
  /** The branch (agência) new accounts get. */
  BRANCH: z.string().regex(/^\d{4}$/).default('0001'),
  /** Currencies a tenant without settings may open accounts in. */
  DEFAULT_CURRENCIES: z.string().default('BRL'),
  /** Mid-market rates for the built-in rate provider: "USD/BRL=5.4321,EUR/BRL=5.9012" (the inverse pairs are derived). */
  FX_MID_RATES: z.string().default('USD/BRL=5.4321,EUR/BRL=5.9012,EUR/USD=1.0864'),
  FX_SPREAD_BPS: z.coerce.number().int().min(0).max(2000).default(50),
  FX_QUOTE_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Sagas: a worker's lease on a saga, and how often unfinished ones are resumed (crash recovery). */
  SAGA_LEASE_SECONDS: z.coerce.number().int().min(1).default(15),
  SAGA_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  /** Test hook: pause between saga steps (to interrupt a saga mid-way). 0 in production. */
  SAGA_STEP_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** Keep the Redis balance read model fresh from the ledger's JetStream events. */
  BALANCE_READ_MODEL: flag(true),
  LEDGER_STREAM: z.string().default('LEDGER'),
  REDIS_PREFIX: z.string().default('baas:accounts'),
});

export type AccountsConfig = z.infer<typeof accountsConfigSchema>;
