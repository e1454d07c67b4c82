import { flag, storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const identityConfigSchema = z.object({
  ...subgraphEnv(4101),
  DATABASE_URL: storeEnv.DATABASE_URL,
  /** PKCS#8 PEM of the RS256 signing key; a development key is generated when absent outside production. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_KEY_ID: z.string().default('dev-1'),
  JWT_ISSUER: z.string().default('https://identity.baas.local'),
  JWT_AUDIENCE: z.string().default('baas-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 3600),
  /** PII encryption keys "id:base64,id2:base64" (32-byte keys); development keys are made when absent outside production. */
  PII_KEYS: z.string().optional(),
  PII_ACTIVE_KEY_ID: z.string().optional(),
  PII_BLIND_INDEX_KEY: z.string().optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(90 * 24 * 3600),
  REDIS_URL: storeEnv.REDIS_URL,
  NATS_URL: storeEnv.NATS_URL,
  /** Prefix of this deployment's Redis keys (rate limits, passkey challenges). */
  REDIS_PREFIX: z.string().default('baas:identity'),
  /** One-time codes: lifetime, wrong attempts allowed, sends allowed per destination per window. */
  OTP_TTL_SECONDS: z.coerce.number().int().min(30).max(1800).default(300),
  OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  /** Codes one caller (address) may ask for one destination per window; past it that caller is RATE_LIMITED. */
  OTP_SENDS_PER_WINDOW: z.coerce.number().int().min(1).default(5),
  OTP_SEND_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Codes one caller (address) may ask for per window, whatever the destinations. */
  OTP_SENDS_PER_ADDRESS_PER_WINDOW: z.coerce.number().int().min(1).default(30),
  /** Codes sent to one destination per window, whoever asks; past it no new code is sent (nobody is refused). */
  OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW: z.coerce.number().int().min(1).default(10),
  /** How fresh a passkey confirmation must be to add or remove a passkey when the tenant's policy names no rule. */
  PASSKEY_CHANGE_STEP_UP_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  /** A customer who never had a passkey may register the first one with a code session only this long after being created. */
  FIRST_PASSKEY_WINDOW_SECONDS: z.coerce.number().int().min(0).default(3600),
  /** Passkey recovery (every passkey lost): how long after the request, notified to the customer, a new passkey may be registered. */
  PASSKEY_RECOVERY_DELAY_SECONDS: z.coerce.number().int().min(0).default(24 * 3600),
  /** Where magic links point (the fintech's app); the token is appended as ?token=. */
  MAGIC_LINK_URL: z.string().url().default('http://localhost:3000/auth/magic-link'),
  /** Relays the notification outbox (codes, links) to NATS subjects identity.notify.<channel>.<tenant>. */
  NOTIFY_RELAY: flag(true),
  /** Relays identity's domain events (a customer's identifiers as blind indexes and digests) to NATS stream IDENTITY_EVENTS (identity.events.>). */
  IDENTITY_EVENTS_RELAY: flag(true),
  /** Serves GET /dev/notifications (what was sent); refused in production. */
  DEV_NOTIFICATION_SINK: flag(false),
  /** WebAuthn relying party: its id (a registrable domain) and the origins allowed to answer ceremonies. */
  WEBAUTHN_RP_ID: z.string().default('localhost'),
  WEBAUTHN_RP_NAME: z.string().default('BaaS'),
  WEBAUTHN_ORIGINS: z.string().default('http://localhost:3000'),
  /** How often each instance re-reads the signing keys (rotation by another instance shows up within this). */
  SIGNING_KEY_REFRESH_SECONDS: z.coerce.number().int().min(1).default(30),
}).refine((c) => c.NODE_ENV !== 'production' || c.PASSKEY_RECOVERY_DELAY_SECONDS >= 3600, { message: 'PASSKEY_RECOVERY_DELAY_SECONDS must be at least an hour in production', path: ['PASSKEY_RECOVERY_DELAY_SECONDS'] })
  .refine((c) => c.NODE_ENV !== 'production' || !c.DEV_NOTIFICATION_SINK, { message: 'DEV_NOTIFICATION_SINK must be off in production', path: ['DEV_NOTIFICATION_SINK'] });

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
