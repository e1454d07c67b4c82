import { eventsEnv, flag, storeEnv, url, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

const paymentsEnv = z.object({
  ...subgraphEnv(4104),
  DATABASE_URL: storeEnv.DATABASE_URL,
  REDIS_URL: storeEnv.REDIS_URL,
  /** Core NATS (the rails: requests to the counterparty bank) and JetStream (its events; payments' own events). */
  NATS_URL: storeEnv.NATS_URL,
  ...eventsEnv,
  /** The ledger, called as the internal service `payments` (holds, posts, voids, reversals). */
  LEDGER_URL: url('http', 'https').default('http://127.0.0.1:4103/graphql'),
  /** Accounts, asked (as the internal service `payments`) for an account's owner, status and ledger account. */
  ACCOUNTS_URL: url('http', 'https').default('http://127.0.0.1:4102/graphql'),
  /** Identity: customer and tenant standing, sandbox mode. */
  IDENTITY_URL: url('http', 'https').default('http://127.0.0.1:4101/graphql'),
  IDENTITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** The risk subgraph (scoreTransaction); `off`: built-in rules (the amount only). */
  RISK_URL: z.union([z.literal('off'), url('http', 'https')]).default('http://127.0.0.1:4107/graphql'),
  RISK_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(300),
  /** An order's approval answered from the verdict risk gave at request time, in memory (@baas/policy's risk-verdict-memo); false: it asks risk again (benchmarks compare). */
  PAYMENTS_RISK_VERDICT_MEMO: flag(true),
  /** Our institution's ISPB (8 digits): the first part of every EndToEndId we make; payees at it are on-us. */
  PAYMENTS_ISPB: z.string().regex(/^\d{8}$/).default('99999999'),
  /** How long to wait for the counterparty bank to acknowledge a submission, in ms. */
  RAIL_SUBMIT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** A SENT order with no answer from its rail after this long is asked about (rails.inquire), in ms. */
  RAIL_INQUIRY_AFTER_MS: z.coerce.number().int().min(100).default(10_000),
  /** Submissions that time out this many times fail the order (the hold is released). */
  RAIL_MAX_SUBMIT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a worker holds an order it drives; a crashed worker's orders are picked up after it, in ms. */
  ORDER_LEASE_MS: z.coerce.number().int().min(1_000).max(300_000).default(15_000),
  /** How often the order processor looks for due orders (scheduled, retries, stuck), in ms. */
  ORDER_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
  /** Consume the rails' events (settlements, returns, incoming payments). */
  RAILS_CONSUMER: flag(true),
  RAILS_STREAM: z.string().default('RAILS_EVENTS'),
  /** The rails' subject namespace (`<ns>.submit`, `<ns>.events.>`); tests give each platform its own. */
  RAILS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]+$/).default('rails'),
  /** Relay payments' events (payments.>) from the outbox to JetStream. */
  PAYMENTS_EVENTS_RELAY: flag(true),
  PAYMENTS_STREAM: z.string().default('PAYMENTS_EVENTS'),
  /** TED's window, São Paulo time. */
  TED_OPENS: z.string().regex(/^\d{2}:\d{2}$/).default('06:30'),
  TED_CUTOFF: z.string().regex(/^\d{2}:\d{2}$/).default('17:00'),
  /** Bank-only non-business days (YYYY-MM-DD, comma-separated) besides the national holidays. */
  BANK_ONLY_HOLIDAYS: z.string().default(''),
  /** A wire's fee, minor units of the wire's currency (its own ledger line). */
  WIRE_FEE_MINOR: z.coerce.bigint().min(0n).default(2_500n),
  /** Our correspondent for wires (BIC) and our institution's name on pacs.008. */
  WIRE_CORRESPONDENT_BIC: z.string().default('BAASBRSPXXX'),
  INSTITUTION_NAME: z.string().default('BaaS Sandbox Bank'),
  /** Prefix of every Redis key of payments. */
  REDIS_PREFIX: z.string().min(1).default('payments:'),
  /** Base URL of the dynamic QR codes' locations (served by this subgraph under /pix/v2/cob/). */
  PIX_LOCATION_BASE_URL: url('http', 'https').default('http://127.0.0.1:4104/pix/v2/cob'),
  /** PKCS#8 PEM of the EC P-256 key that signs charge payloads (JWS ES256); development makes one per process. */
  PIX_JWS_PRIVATE_KEY: z.string().optional(),
  /** Resolution period of a key claim (DICT: 7 days for ownership and portability), in seconds. */
  PIX_CLAIM_RESOLUTION_SECONDS: z.coerce.number().int().min(1).default(7 * 24 * 3600),
  /** How long a PIX limit increase waits before it takes effect, in seconds (at least 24 h in production). */
  PIX_LIMIT_INCREASE_DELAY_SECONDS: z.coerce.number().int().min(0).default(24 * 3600),
  /** A customer's PIX limits before they set any, per period, minor units (BCB: night-time R$ 1.000 for persons by default). */
  PIX_DEFAULT_DAYTIME_LIMIT: z.coerce.bigint().min(0n).default(5_000_000n),
  PIX_DEFAULT_NIGHTTIME_LIMIT: z.coerce.bigint().min(0n).default(100_000n),
  /** Key lookups per customer per minute (anti-scraping). */
  PIX_LOOKUP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** The deployment allows sandbox mutations (simulated incoming PIX, returns) for sandbox tenants; default true outside production. */
  SANDBOX: z.enum(['true', 'false', '1', '0']).optional(),
});

export const paymentsConfigSchema = paymentsEnv
  .transform((env) => ({ ...env, SANDBOX: env.SANDBOX === undefined ? env.NODE_ENV !== 'production' : env.SANDBOX === 'true' || env.SANDBOX === '1' }))
  // Production signs charges with its own key: a key made per process would change at every restart.
  .refine((env) => env.NODE_ENV !== 'production' || !!env.PIX_JWS_PRIVATE_KEY, { message: 'PIX_JWS_PRIVATE_KEY is required in production', path: ['PIX_JWS_PRIVATE_KEY'] });

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;
