import { eventsEnv, flag, storeEnv, url, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= 32, { message: 'must be base64 of at least 32 bytes' });
const unit = z.coerce.number().min(0).max(1);

export const kycConfigSchema = z
  .object({
    ...subgraphEnv(4106),
    MONGO_URL: storeEnv.MONGO_URL,
    ...eventsEnv,
    NATS_URL: storeEnv.NATS_URL,
    /** Relay the KYC events outbox (kyc_events) to NATS stream KYC_EVENTS_STREAM (subjects kyc.>), where webhooks reads them. */
    KYC_EVENTS_RELAY: flag(true),
    KYC_EVENTS_STREAM: z.string().default('KYC_EVENTS'),
    /** How often to look for a changed sanctions list and rescreen approved customers against it (0: never). */
    KYC_RESCREEN_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
    MONGO_DATABASE: z.string().default('baas_kyc'),
    /** Identity: whether a customer exists and is active in a tenant (a client applying for its customer). */
    IDENTITY_URL: url('http', 'https').default('http://127.0.0.1:4101/graphql'),
    IDENTITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** PII keys "id:base64,id2:base64" (32 bytes each) sealing applicants and documents; the last encrypts unless PII_ACTIVE_KEY_ID names one. */
    PII_KEYS: z.string().optional(),
    PII_ACTIVE_KEY_ID: z.string().optional(),
    /** The blind-index key (32 bytes, base64): keyed request fingerprints. */
    PII_BLIND_INDEX_KEY: z.string().optional(),
    /** Where clients reach the upload endpoint (PUT {KYC_PUBLIC_URL}/kyc/uploads/:token); default this service's own address. */
    KYC_PUBLIC_URL: url('http', 'https').optional(),
    /** The HMAC key of upload tokens (base64, at least 32 bytes); required in production, made per process otherwise. */
    KYC_UPLOAD_TOKEN_KEY: base64Key.optional(),
    /** The processor polls for due applications this often (it is also woken by submits and uploads). */
    KYC_PROCESS_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
    /** How long a claimed application is the claimer's before another instance may take it over. */
    KYC_PROCESS_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
    /** Runs whose checks could not run before an application goes to MANUAL_REVIEW (CHECKS_UNAVAILABLE). */
    KYC_PROCESS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    /** Decision rules (every tenant, until tenants set their own): a face similarity under this denies (FACE_MISMATCH). */
    KYC_MIN_FACE_SIMILARITY: unit.default(0.6),
    /** A liveness score under this denies (LIVENESS_FAILED). Default 0 (off): the passive models are uncalibrated (docs/kyc-face.md), so a low score goes to review (UNCERTAIN) instead. */
    KYC_MIN_LIVENESS_SCORE: unit.default(0),
    KYC_MIN_OCR_CONFIDENCE: unit.default(0.5),
    /** The checks: `models` (the ONNX OCR and face models, loaded on the first check, and sanctions screening) or `off` (submitted applications wait). */
    KYC_CHECKS: z.enum(['models', 'off']).default('models'),
    /** With no sanctions list loaded, import the repository's fixture lists first; default true outside production, refused in production. */
    KYC_SANCTIONS_FIXTURES: z.enum(['true', 'false', '1', '0']).optional(),
    /** Models whose licence is unclear (the face embedding, anti-spoof, liveness: models/kyc/face/manifest.json sandboxOnly) may run; default true outside production, refused in production. */
    KYC_SANDBOX_MODELS: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .transform((env) => {
    const flag = (v: string | undefined) => (v === undefined ? env.NODE_ENV !== 'production' : v === 'true' || v === '1');
    return { ...env, KYC_SANCTIONS_FIXTURES: flag(env.KYC_SANCTIONS_FIXTURES), KYC_SANDBOX_MODELS: flag(env.KYC_SANDBOX_MODELS) };
  })
  .refine((env) => env.NODE_ENV !== 'production' || !env.KYC_SANCTIONS_FIXTURES, { message: 'KYC_SANCTIONS_FIXTURES is for development: production screens against the real lists an operator imports', path: ['KYC_SANCTIONS_FIXTURES'] })
  .refine((env) => env.NODE_ENV !== 'production' || !env.KYC_SANDBOX_MODELS, { message: 'KYC_SANDBOX_MODELS is for development: production runs only models with a clear licence', path: ['KYC_SANDBOX_MODELS'] })
  .refine((env) => env.NODE_ENV !== 'production' || (!!env.PII_KEYS && !!env.PII_BLIND_INDEX_KEY), { message: 'PII_KEYS and PII_BLIND_INDEX_KEY are required in production', path: ['PII_KEYS'] })
  .refine((env) => env.NODE_ENV !== 'production' || !!env.KYC_UPLOAD_TOKEN_KEY, { message: 'KYC_UPLOAD_TOKEN_KEY is required in production', path: ['KYC_UPLOAD_TOKEN_KEY'] })
  .refine((env) => env.NODE_ENV !== 'production' || !!env.KYC_PUBLIC_URL, { message: 'KYC_PUBLIC_URL is required in production (where clients upload documents)', path: ['KYC_PUBLIC_URL'] });

export type KycConfig = z.infer<typeof kycConfigSchema>;
