import { eventsEnv, flag, storeEnv, url, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

/** The development CVV key: known to everyone, so production refuses to start with it (or without a key). */
export const DEV_CARD_CVV_KEY = Buffer.from('baas-dev-cvv-key-not-for-production').toString('base64');

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= 16, { message: 'must be base64 of at least 16 bytes' });

const cardsEnv = z.object({
  ...subgraphEnv(4105),
  DATABASE_URL: storeEnv.DATABASE_URL,
  NATS_URL: storeEnv.NATS_URL,
  ...eventsEnv,
  /** Relay the cards events (cards.card.*, cards.authorization.*, cards.transaction.*) from the outbox to JetStream. */
  CARDS_EVENTS_RELAY: flag(true),
  CARDS_STREAM: z.string().default('CARDS_EVENTS'),
  /** Accounts, asked (as the internal service `cards`) for an account's owner, tenant, currency, status and ledger account. */
  ACCOUNTS_URL: url('http', 'https').default('http://127.0.0.1:4102/graphql'),
  /** Identity: whether a tenant is a sandbox tenant (sandbox fulfilment). */
  IDENTITY_URL: url('http', 'https').default('http://127.0.0.1:4101/graphql'),
  IDENTITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** PII keys "id:base64,id2:base64" (32 bytes each) sealing PANs in the card vault; the last encrypts unless PII_ACTIVE_KEY_ID names one. */
  PII_KEYS: z.string().optional(),
  PII_ACTIVE_KEY_ID: z.string().optional(),
  /** The blind-index key (32 bytes, base64): card.pan_index and network_token.token_index. */
  PII_BLIND_INDEX_KEY: z.string().optional(),
  /** The keyed-HMAC CVV key (base64, at least 16 bytes); required in production, a development key otherwise. */
  CARD_CVV_KEY: base64Key.optional(),
  /** The issuing BIN (6 or 8 digits). Default 99999901: the 9999 range no network assigns, a sandbox BIN. */
  CARDS_BIN: z.string().regex(/^(\d{6}|\d{8})$/).default('99999901'),
  /** The network-token BIN (token PANs), distinct from CARDS_BIN. */
  CARDS_TOKEN_BIN: z.string().regex(/^(\d{6}|\d{8})$/).default('99999902'),
  /** Card brand shown for cards of CARDS_BIN. */
  CARDS_BRAND: z.string().min(1).default('SANDBOX'),
  /** Years a card is valid (expiry = issue month + this). */
  CARDS_VALIDITY_YEARS: z.coerce.number().int().min(1).max(10).default(4),
  /** How recent a passkey confirmation must be to reveal a card when the tenant's policy names no CARD_PAN_REVEAL rule, in seconds. */
  CARD_REVEAL_STEP_UP_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  /** Redis: velocity (per day, month and lifetime sums per card), under REDIS_PREFIX. */
  REDIS_URL: storeEnv.REDIS_URL,
  REDIS_PREFIX: z.string().min(1).default('cards:'),
  /** The ledger: every authorisation is a hold (pending transfer) on the card's account, captures post it. */
  LEDGER_URL: url('http', 'https').default('http://127.0.0.1:4103/graphql'),
  /** Risk scores each authorisation (the shared policy path); 'off' approves without asking. */
  RISK_URL: z.union([z.literal('off'), url('http', 'https')]).default('http://127.0.0.1:4107/graphql'),
  RISK_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(300),
  /** Days an uncaptured authorisation's hold lives before the ledger expires it. */
  CARDS_HOLD_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  /** How often expired and stuck authorisations are swept. */
  CARDS_EXPIRE_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Tenants' decision webhooks may be http and loopback (development, tests); default true outside production. */
  CARDS_ALLOW_INSECURE_URLS: z.enum(['true', 'false', '1', '0']).optional(),
  /** Sandbox mutations (card fulfilment, the network simulator) for sandbox tenants; default true outside production. */
  SANDBOX: z.enum(['true', 'false', '1', '0']).optional(),
});

export const cardsConfigSchema = cardsEnv
  .transform((env) => ({
    ...env,
    SANDBOX: env.SANDBOX === undefined ? env.NODE_ENV !== 'production' : env.SANDBOX === 'true' || env.SANDBOX === '1',
    CARDS_ALLOW_INSECURE_URLS: env.CARDS_ALLOW_INSECURE_URLS === undefined ? env.NODE_ENV !== 'production' : env.CARDS_ALLOW_INSECURE_URLS === 'true' || env.CARDS_ALLOW_INSECURE_URLS === '1',
  }))
  .refine((env) => env.CARDS_BIN !== env.CARDS_TOKEN_BIN, { message: 'CARDS_TOKEN_BIN must differ from CARDS_BIN', path: ['CARDS_TOKEN_BIN'] })
  // Production derives CVVs with its own key: the development one is public.
  .refine((env) => env.NODE_ENV !== 'production' || (!!env.CARD_CVV_KEY && env.CARD_CVV_KEY !== DEV_CARD_CVV_KEY), {
    message: 'CARD_CVV_KEY is required in production (and may not be the development key)',
    path: ['CARD_CVV_KEY'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || (!!env.PII_KEYS && !!env.PII_BLIND_INDEX_KEY), {
    message: 'PII_KEYS and PII_BLIND_INDEX_KEY are required in production',
    path: ['PII_KEYS'],
  });

export type CardsConfig = z.infer<typeof cardsConfigSchema>;

/** The CVV key's bytes: CARD_CVV_KEY, or (outside production only, which the schema enforces) the development key. */
export const cvvKeyOf = (config: Pick<CardsConfig, 'CARD_CVV_KEY'>): Buffer => Buffer.from(config.CARD_CVV_KEY ?? DEV_CARD_CVV_KEY, 'base64');
