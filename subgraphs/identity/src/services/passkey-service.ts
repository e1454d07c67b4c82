import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { assertCanAccess, requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden, unauthenticated } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { PrismaClient } from '../generated/prisma/client';
import {
  finishPasskeyAuthentication,
  finishPasskeyRegistration,
  isPasskeyError,
  PASSKEY_CHALLENGE_TTL_SECONDS,
  startPasskeyAuthentication,
  startPasskeyRegistration,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type StoredPasskey,
} from '../passkeys/index';
import { CUSTOMER_SCOPES } from './session-tokens';
import { refreshSession, startSession, type SessionPolicy, type SessionRow } from './sessions';
import type { PiiVault } from '@baas/pii';
import type { EnrolmentRoute } from '../domain/passkey-enrolment';
import { checkTenant, tenantIdOf } from '../domain/tenant-rules';
import { cancelPendingRecoveries } from '../use-cases/passkey-recovery';
import { uuidv7 } from '@baas/db';

export type PasskeyRow = Awaited<ReturnType<PrismaClient['passkeyCredential']['findUniqueOrThrow']>>;

/** RFC 8176: proof of possession of a (hardware- or platform-) protected key, with user verification. */
export const PASSKEY_AMR = ['hwk', 'user', 'mfa'];

type Ceremony = 'register' | 'signin' | 'stepup';
export type PendingChallenge = {
  ceremony: Ceremony;
  challenge: string;
  tenantId: string;
  customerId?: string;
  sessionId?: string;
  expiresAt: string;
  /** Registration: how it was allowed (domain/passkey-enrolment), re-checked when it finishes. */
  route?: EnrolmentRoute;
};

/** The rules for changing passkeys (IdentityConfig: PASSKEY_CHANGE_STEP_UP_SECONDS, FIRST_PASSKEY_WINDOW_SECONDS, PASSKEY_RECOVERY_DELAY_SECONDS). */
export type PasskeyChangePolicy = { changeStepUpSeconds: number; firstPasskeyWindowSeconds: number; recoveryDelaySeconds: number };

export type PasskeyDeps = {
  db: PrismaClient;
  redis: Redis;
  /** Redis key prefix of this deployment. */
  prefix: string;
  rpId: string;
  rpName: string;
  origins: string[];
  /** Seals the customer's contacts for the security notices. */
  vault: PiiVault;
  changes: PasskeyChangePolicy;
};

const keyOf = (deps: PasskeyDeps, id: string) => `${deps.prefix}:passkey:challenge:${id}`;
const claimOf = (deps: PasskeyDeps, id: string) => `${deps.prefix}:passkey:claim:${id}`;
const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

export const storedPasskey = (row: PasskeyRow): StoredPasskey => ({
  credentialId: row.id,
  publicKey: Buffer.from(row.publicKey).toString('base64url'),
  counter: Number(row.counter),
  transports: row.transports,
  deviceType: row.deviceType as StoredPasskey['deviceType'],
  backedUp: row.backedUp,
  createdAt: row.createdAt.toISOString(),
});

export function asDomainError(error: unknown): unknown {
  return isPasskeyError(error) ? error.toDomainError() : error;
}

export async function saveChallenge(deps: PasskeyDeps, pending: PendingChallenge, id = uuidv7()): Promise<string> {
  await deps.redis.set(keyOf(deps, id), JSON.stringify(pending), 'EX', PASSKEY_CHALLENGE_TTL_SECONDS);
  return id;
}

/**
 * Claims a challenge for one finish: the first finish with a response wins; the same response
 * presented again is a replay (the caller may answer it as before); any other finish is refused, as a
 * challenge answers once.
 */
export async function claimChallenge(deps: PasskeyDeps, challengeId: string, ceremony: Ceremony, response: unknown): Promise<{ pending: PendingChallenge; replay: boolean }> {
  if (!isUuid(challengeId)) throw badInput('challengeId must be a UUID.', { field: 'challengeId' });
  const raw = await deps.redis.get(keyOf(deps, challengeId));
  const pending = raw ? (JSON.parse(raw) as PendingChallenge) : null;
  if (!pending || pending.ceremony !== ceremony) throw unauthenticated('The passkey challenge has expired.');
  const responseHash = sha256(response);
  const claimed = await deps.redis.set(claimOf(deps, challengeId), responseHash, 'EX', PASSKEY_CHALLENGE_TTL_SECONDS, 'NX');
  if (claimed === 'OK') return { pending, replay: false };
  const first = await deps.redis.get(claimOf(deps, challengeId));
  if (first === responseHash) return { pending, replay: true };
  throw new DomainError('UNAUTHENTICATED', 'The passkey challenge was already answered.', { reason: 'CHALLENGE_MISMATCH' });
}

export async function customerPasskeys(db: PrismaClient, customerId: string): Promise<PasskeyRow[]> {
  return db.passkeyCredential.findMany({ where: { customerId, removedAt: null }, orderBy: { createdAt: 'asc' } });
}

export function requireCustomer(identity: Identity | null): Identity & { tenantId: string } {
  const who = requireIdentity(identity);
  if (who.kind !== 'customer' || !who.tenantId) throw forbidden('Only a signed-in customer can do this.');
  return who as Identity & { tenantId: string };
}

/** Username-less sign-in: the device offers the customer's discoverable passkey for this RP. `sessionId` is the client's idempotency key. */
export async function startSignIn(deps: PasskeyDeps, input: { id: string; tenantId: string }) {
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  checkTenant(await deps.db.tenant.findUnique({ where: { id: tenantIdOf(input.tenantId) }, select: { id: true, status: true } }), { active: true });
  const start = await startPasskeyAuthentication({ rpId: deps.rpId });
  const challengeId = await saveChallenge(deps, { ceremony: 'signin', challenge: start.challenge, tenantId: input.tenantId.toLowerCase(), sessionId: input.id.toLowerCase(), expiresAt: start.expiresAt });
  return { challengeId, options: start.options, expiresAt: start.expiresAt };
}

/** Verifies an assertion against the stored passkey it names and records its new counter. */
async function verifyAssertion(deps: PasskeyDeps, pending: PendingChallenge, response: AuthenticationResponseJSON, expectCustomer?: string): Promise<PasskeyRow> {
  const row = typeof response?.id === 'string' ? await deps.db.passkeyCredential.findUnique({ where: { id: response.id } }) : null;
  // One answer for unknown, removed, other tenant's and other customer's passkeys.
  if (!row || row.removedAt || row.tenantId !== pending.tenantId || (expectCustomer && row.customerId !== expectCustomer)) {
    throw new DomainError('UNAUTHENTICATED', 'The passkey could not be verified.', { reason: 'PASSKEY_VERIFICATION_FAILED' });
  }
  let result: Awaited<ReturnType<typeof finishPasskeyAuthentication>>;
  try {
    result = await finishPasskeyAuthentication({ response, expectedChallenge: pending.challenge, rpId: deps.rpId, origin: deps.origins, passkey: storedPasskey(row) });
  } catch (error) {
    throw asDomainError(error);
  }
  const used = await deps.db.passkeyCredential.update({ where: { id: row.id }, data: { counter: BigInt(result.newCounter), backedUp: result.backedUp, lastUsedAt: new Date() } });
  // The owner holds a passkey after all: a pending recovery (perhaps an attacker's) ends here.
  await cancelPendingRecoveries(deps, row.customerId, 'passkey');
  return used;
}

export async function finishSignIn(
  deps: PasskeyDeps,
  policy: SessionPolicy,
  input: { challengeId: string; response: unknown },
): Promise<{ session: SessionRow; refreshToken: string; passkey?: PasskeyRow }> {
  const { pending, replay } = await claimChallenge(deps, input.challengeId, 'signin', input.response);
  // An assertion answers its challenge once: presenting it again opens nothing (single use, like codes).
  if (replay) throw new DomainError('UNAUTHENTICATED', 'The passkey challenge was already answered.', { reason: 'CHALLENGE_MISMATCH' });
  const tenant = await deps.db.tenant.findUnique({ where: { id: pending.tenantId }, select: { id: true, status: true } });
  checkTenant(tenant, { active: true });
  const passkey = await verifyAssertion(deps, pending, input.response as AuthenticationResponseJSON);
  const customer = await deps.db.customer.findUnique({ where: { id: passkey.customerId } });
  if (!customer || customer.status !== 'ACTIVE' || customer.tenantId !== pending.tenantId) {
    throw new DomainError('UNAUTHENTICATED', 'The passkey could not be verified.', { reason: 'PASSKEY_VERIFICATION_FAILED' });
  }
  const identity: Identity = { subject: customer.id, kind: 'customer', tenantId: customer.tenantId, scopes: [...CUSTOMER_SCOPES] };
  const opened = await startSession(deps.db, identity, policy, { amr: PASSKEY_AMR, challengeId: input.challengeId, sessionId: pending.sessionId, stepUp: true });
  return { ...opened, passkey };
}

export async function startStepUp(deps: PasskeyDeps, identity: Identity | null) {
  const who = requireCustomer(identity);
  const allow = await customerPasskeys(deps.db, who.subject);
  if (allow.length === 0) throw new DomainError('CONFLICT', 'Register a passkey first.', { reason: 'NO_PASSKEY' });
  const start = await startPasskeyAuthentication({ rpId: deps.rpId, allow: allow.map(storedPasskey) });
  const challengeId = await saveChallenge(deps, { ceremony: 'stepup', challenge: start.challenge, tenantId: who.tenantId, customerId: who.subject, expiresAt: start.expiresAt });
  return { challengeId, options: start.options, expiresAt: start.expiresAt };
}

/** A passkey assertion by the signed-in customer: the session's next tokens carry a fresh step-up time. */
export async function finishStepUp(
  deps: PasskeyDeps,
  policy: SessionPolicy,
  identity: Identity | null,
  input: { challengeId: string; response: unknown; refreshToken: string },
): Promise<{ session: SessionRow; refreshToken: string; passkey: PasskeyRow }> {
  const who = requireCustomer(identity);
  const { pending, replay } = await claimChallenge(deps, input.challengeId, 'stepup', input.response);
  if (replay) throw new DomainError('UNAUTHENTICATED', 'The passkey challenge was already answered.', { reason: 'CHALLENGE_MISMATCH' });
  if (pending.customerId !== who.subject) throw forbidden();
  const passkey = await verifyAssertion(deps, pending, input.response as AuthenticationResponseJSON, who.subject);
  const next = await refreshSession(deps.db, input.refreshToken, policy, { stepUpFor: { subject: who.subject } });
  return { ...next, passkey };
}

export async function listPasskeys(db: PrismaClient, identity: Identity | null): Promise<PasskeyRow[]> {
  const who = requireCustomer(identity);
  return customerPasskeys(db, who.subject);
}
