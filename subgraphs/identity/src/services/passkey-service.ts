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
import { reissueForChallenge, refreshSession, startSession, type SessionPolicy, type SessionRow } from './sessions';
import { uuidv7 } from '@baas/db';

export type PasskeyRow = Awaited<ReturnType<PrismaClient['passkeyCredential']['findUniqueOrThrow']>>;

/** RFC 8176: proof of possession of a (hardware- or platform-) protected key, with user verification. */
export const PASSKEY_AMR = ['hwk', 'user', 'mfa'];

type Ceremony = 'register' | 'signin' | 'stepup';
type PendingChallenge = { ceremony: Ceremony; challenge: string; tenantId: string; customerId?: string; sessionId?: string; expiresAt: string };

export type PasskeyDeps = {
  db: PrismaClient;
  redis: Redis;
  /** Redis key prefix of this deployment. */
  prefix: string;
  rpId: string;
  rpName: string;
  origins: string[];
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

function asDomainError(error: unknown): unknown {
  return isPasskeyError(error) ? error.toDomainError() : error;
}

async function saveChallenge(deps: PasskeyDeps, pending: PendingChallenge, id = uuidv7()): Promise<string> {
  await deps.redis.set(keyOf(deps, id), JSON.stringify(pending), 'EX', PASSKEY_CHALLENGE_TTL_SECONDS);
  return id;
}

/**
 * Claims a challenge for one finish: the first finish with a response wins; the same response
 * presented again is a replay (the caller may answer it as before); any other finish is refused, as a
 * challenge answers once.
 */
async function claimChallenge(deps: PasskeyDeps, challengeId: string, ceremony: Ceremony, response: unknown): Promise<{ pending: PendingChallenge; replay: boolean }> {
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

async function customerPasskeys(db: PrismaClient, customerId: string): Promise<PasskeyRow[]> {
  return db.passkeyCredential.findMany({ where: { customerId, removedAt: null }, orderBy: { createdAt: 'asc' } });
}

function requireCustomer(identity: Identity | null): Identity & { tenantId: string } {
  const who = requireIdentity(identity);
  if (who.kind !== 'customer' || !who.tenantId) throw forbidden('Only a signed-in customer can do this.');
  return who as Identity & { tenantId: string };
}

export async function startRegistration(deps: PasskeyDeps, identity: Identity | null, displayName: string) {
  const who = requireCustomer(identity);
  const existing = await customerPasskeys(deps.db, who.subject);
  const start = await startPasskeyRegistration({
    rpId: deps.rpId,
    rpName: deps.rpName,
    user: { id: who.subject, name: displayName, displayName },
    existing: existing.map(storedPasskey),
  });
  const challengeId = await saveChallenge(deps, { ceremony: 'register', challenge: start.challenge, tenantId: who.tenantId, customerId: who.subject, expiresAt: start.expiresAt });
  return { challengeId, options: start.options, expiresAt: start.expiresAt, existingCount: existing.length };
}

export async function finishRegistration(deps: PasskeyDeps, identity: Identity | null, input: { challengeId: string; response: unknown; nickname?: string | null }): Promise<PasskeyRow> {
  const who = requireCustomer(identity);
  const { pending, replay } = await claimChallenge(deps, input.challengeId, 'register', input.response);
  if (pending.customerId !== who.subject) throw forbidden();
  const response = input.response as RegistrationResponseJSON;
  if (replay) {
    const row = typeof response?.id === 'string' ? await deps.db.passkeyCredential.findUnique({ where: { id: response.id } }) : null;
    if (row && row.customerId === who.subject) return row;
    throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT');
  }
  const existing = await customerPasskeys(deps.db, who.subject);
  let passkey: StoredPasskey;
  try {
    passkey = await finishPasskeyRegistration({ response, expectedChallenge: pending.challenge, rpId: deps.rpId, origin: deps.origins, existing: existing.map(storedPasskey) });
  } catch (error) {
    throw asDomainError(error);
  }
  const nickname = input.nickname?.trim().slice(0, 64) || null;
  try {
    return await deps.db.passkeyCredential.create({
      data: {
        id: passkey.credentialId,
        tenantId: who.tenantId,
        customerId: who.subject,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: BigInt(passkey.counter),
        transports: passkey.transports ?? [],
        deviceType: passkey.deviceType,
        backedUp: passkey.backedUp,
        nickname,
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new DomainError('CONFLICT', 'This passkey is already registered.', { reason: 'CREDENTIAL_ALREADY_REGISTERED' });
    throw error;
  }
}

/** Username-less sign-in: the device offers the customer's discoverable passkey for this RP. `sessionId` is the client's idempotency key. */
export async function startSignIn(deps: PasskeyDeps, input: { id: string; tenantId: string }) {
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  if (!isUuid(input.tenantId)) throw badInput('tenantId must be a UUID.', { field: 'tenantId' });
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
  return deps.db.passkeyCredential.update({ where: { id: row.id }, data: { counter: BigInt(result.newCounter), backedUp: result.backedUp, lastUsedAt: new Date() } });
}

export async function finishSignIn(
  deps: PasskeyDeps,
  policy: SessionPolicy,
  input: { challengeId: string; response: unknown },
): Promise<{ session: SessionRow; refreshToken: string; passkey?: PasskeyRow }> {
  const { pending, replay } = await claimChallenge(deps, input.challengeId, 'signin', input.response);
  if (replay) {
    const again = await reissueForChallenge(deps.db, input.challengeId, policy);
    if (!again) throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT');
    return again;
  }
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

export async function removePasskey(db: PrismaClient, identity: Identity | null, id: string): Promise<PasskeyRow> {
  const who = requireIdentity(identity);
  const row = await db.passkeyCredential.findUnique({ where: { id } });
  if (!row) throw forbidden();
  assertCanAccess(who, { tenantId: row.tenantId, customerId: row.customerId });
  if (row.removedAt) return row;
  return db.passkeyCredential.update({ where: { id }, data: { removedAt: new Date() } });
}
