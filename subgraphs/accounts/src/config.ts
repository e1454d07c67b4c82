import { eventsEnv, flag, storeEnv, url, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

const accountsEnv = z.object({
  ...subgraphEnv(4102),
  DATABASE_URL: storeEnv.DATABASE_URL,
  REDIS_URL: storeEnv.REDIS_URL,
  NATS_URL: storeEnv.NATS_URL,
  ...eventsEnv,
  /** The ledger subgraph, called as the internal service `accounts` (signed identity assertion). */
  LEDGER_URL: url('http', 'https').default('http://127.0.0.1:4103/graphql'),
  /** Identity, asked (as the internal service `accounts`) whether a customer or tenant exists and is active, and whether a tenant is in sandbox mode. */
  IDENTITY_URL: url('http', 'https').default('http://127.0.0.1:4101/graphql'),
  /**
   * The risk subgraph, called as the internal service `accounts` (scoreTransaction) for every transfer
   * and FX execution, at request time and in the saga's RISK step. `off`: the built-in rules decide
   * (workers/risk-rules.ts), with no scoring, fail mode or stored assessment.
   */
  RISK_URL: z.union([z.literal('off'), url('http', 'https')]).default('http://127.0.0.1:4107/graphql'),
  /**
   * The kyc subgraph, asked (as the internal service `accounts`, its internal `customerKycLevel`) for a
   * customer's KYC level when the tenant requires one to open an account (requireKycLevel). Unreachable:
   * the opening is refused (SUBGRAPH_UNAVAILABLE), never let through.
   */
  KYC_URL: url('http', 'https').default('http://127.0.0.1:4106/graphql'),
  /** How long to wait for kyc's answer, in ms. */
  KYC_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(2_000),
  /** How long to wait for risk before the tenant's fail mode (OPEN or CLOSED, its account settings) decides, in ms. */
  RISK_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(300),
  /** The saga's RISK step answered from the request's verdict in memory (@baas/policy's risk-verdict-memo); false: it asks risk again (benchmarks compare). */
  ACCOUNTS_RISK_VERDICT_MEMO: flag(true),
  /** How long a found customer or tenant standing is remembered, in ms (absent ones never are); a suspension takes effect within it. */
  IDENTITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /**
   * The deployment allows play money (fundSandboxAccount) for tenants in sandbox mode. Default: true
   * in development and test, false in production (NODE_ENV=production must opt in explicitly).
   * A live (non-sandbox) or suspended tenant never gets play money, whatever this says.
   */
  SANDBOX: z.enum(['true', 'false', '1', '0']).optional(),
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
  /** Sagas: the back-off of a step that failed on infrastructure (ledger or database down): doubling from the base per attempt, capped. */
  SAGA_RETRY_BASE_MS: z.coerce.number().int().min(10).default(500),
  SAGA_RETRY_MAX_MS: z.coerce.number().int().min(100).default(30_000),
  /** Keep the Redis balance read model fresh from the ledger's JetStream events. */
  BALANCE_READ_MODEL: flag(true),
  LEDGER_STREAM: z.string().default('LEDGER'),
  /** Relay the subgraph's events (accounts.>: accounts opened, frozen, closed; transfers completed, failed) from the outbox to JetStream. */
  ACCOUNTS_EVENTS_RELAY: flag(true),
  ACCOUNTS_STREAM: z.string().default('ACCOUNTS_EVENTS'),
  REDIS_PREFIX: z.string().default('baas:accounts'),
});

export const accountsConfigSchema = accountsEnv.transform((env) => ({
  ...env,
  SANDBOX: env.SANDBOX === undefined ? env.NODE_ENV !== 'production' : env.SANDBOX === 'true' || env.SANDBOX === '1',
}));

export type AccountsConfig = z.infer<typeof accountsConfigSchema>;
