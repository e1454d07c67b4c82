import type { AuditLog } from '@baas/audit';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import type { IdentityConfig } from '../config';
import type { TokenIssuer } from '../domain/token-issuer';
import type { CustomerRow } from '../store/customer-store';
import type { IdentityStores } from '../store/identity-stores';
import type { PasskeyChallengeStore } from '../store/passkey-challenge-store';
import type { SendCounterStore } from '../store/send-counter-store';
import type { SessionPolicy } from '../store/session-store';
import type { TenantRow } from '../store/tenant-store';
import type { KeyRing } from '../workers/signing-key-ring';

/** A per-request batched reader by id (context.ts builds them over the stores). */
export type ByIdLoader<Row> = { load(id: string): Promise<Row | null> };
export type IdentityLoaders = { customer: ByIdLoader<CustomerRow>; tenant: ByIdLoader<TenantRow> };

/** The rules for changing passkeys (IdentityConfig: PASSKEY_CHANGE_STEP_UP_SECONDS, FIRST_PASSKEY_WINDOW_SECONDS, PASSKEY_RECOVERY_DELAY_SECONDS). */
export type PasskeyChangePolicy = { changeStepUpSeconds: number; firstPasskeyWindowSeconds: number; recoveryDelaySeconds: number };

/** The WebAuthn relying party (IdentityConfig: WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME, WEBAUTHN_ORIGINS). */
export type RelyingParty = { rpId: string; rpName: string; origins: string[] };

/** The settings startSignIn reads (IdentityConfig has them all). */
export type SignInConfig = Pick<IdentityConfig, 'OTP_TTL_SECONDS' | 'OTP_MAX_ATTEMPTS' | 'OTP_SENDS_PER_WINDOW' | 'OTP_SEND_WINDOW_SECONDS' | 'MAGIC_LINK_URL'> &
  Partial<Pick<IdentityConfig, 'OTP_SENDS_PER_ADDRESS_PER_WINDOW' | 'OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW'>>;

/**
 * Everything the identity use cases may be given (the composition root builds it once; context.ts adds
 * the request's loaders, logger and client address). Each use case names only the part it reads.
 */
export type IdentityDeps = {
  stores: IdentityStores;
  passkeyChallenges: PasskeyChallengeStore;
  sendCounters: SendCounterStore;
  vault: PiiVault;
  tokens: TokenIssuer;
  keyRing: KeyRing;
  sessionPolicy: SessionPolicy;
  signIn: SignInConfig;
  passkeyChanges: PasskeyChangePolicy;
  relyingParty: RelyingParty;
  audit: AuditLog | null;
  loaders: IdentityLoaders;
  logger?: Logger;
  /** The caller's address as the gateway vouched for it; absent (a direct call), every such caller shares one quota. */
  clientAddress?: string | null;
};
