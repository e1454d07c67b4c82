import { uuidv7 } from '@baas/db';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import type { Logger } from '@baas/observability';
import { maskEmail, maskPhone, type PiiVault } from '@baas/pii';
import type { Redis } from 'ioredis';
import type { IdentityConfig } from '../config';
import type { PrismaClient, SignInChallenge } from '../generated/prisma/client';
import { piiContext } from '../services/create-customer';
import { limitSends } from './limit-sends';
import { notificationContext, notificationSubject, type NotificationChannel, type NotificationPayload } from './notification-stream';
import { parseStartSignInInput, type StartSignInInput, type StartSignInRequest } from './parse-start-input';
import { codeHash, newCode, newLinkToken, linkTokenHash } from './sign-in-secrets';
import { checkTenant } from '../domain/tenant-rules';

/** The settings startSignIn reads (IdentityConfig has them all). */
export type SignInConfig = Pick<
  IdentityConfig,
  'OTP_TTL_SECONDS' | 'OTP_MAX_ATTEMPTS' | 'OTP_SENDS_PER_WINDOW' | 'OTP_SEND_WINDOW_SECONDS' | 'MAGIC_LINK_URL' | 'REDIS_PREFIX'
> &
  Partial<Pick<IdentityConfig, 'OTP_SENDS_PER_ADDRESS_PER_WINDOW' | 'OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW'>>;

/**
 * What startSignIn needs (the resolver context has it all). `clientAddress` is the caller's address
 * as the gateway vouched for it; absent (a direct call), every such caller shares one quota.
 */
export type StartSignInDeps = { db: PrismaClient; redis: Redis; vault: PiiVault; config: SignInConfig; logger?: Logger; clientAddress?: string | null };

/** Blind-index context of callers' addresses (quotas without storing an IP address in clear). */
const REQUESTER_CONTEXT = 'identity.sign-in.requester';

/** The GraphQL SignInChallenge. */
export type SignInChallengeView = {
  id: string;
  channel: NotificationChannel;
  maskedDestination: string;
  expiresAt: string;
  attemptsLeft: number;
};

/** The challenge as the client sees it; identical whether or not a customer has the contact. */
export function challengeView(row: SignInChallenge): SignInChallengeView {
  return {
    id: row.id,
    channel: row.channel as NotificationChannel,
    maskedDestination: row.maskedDestination,
    expiresAt: row.expiresAt.toISOString(),
    attemptsLeft: Math.max(0, row.maxAttempts - row.attempts),
  };
}

/** The blind index of a destination: the same value as the customer's emailIndex / phoneIndex. */
export function destinationIndex(vault: PiiVault, req: Pick<StartSignInRequest, 'tenantId' | 'channel' | 'destination'>): string {
  return vault.blindIndex(req.destination, piiContext(req.channel === 'EMAIL' ? 'email' : 'phone', req.tenantId));
}

/**
 * Starts a passwordless sign-in: a 6-digit code (and, by e-mail on request, a magic link) for the
 * ACTIVE customer of the tenant who registered this contact.
 *
 * - Idempotent by `input.id`: the same request again returns the same challenge and sends nothing;
 *   another request under the same id is IDEMPOTENCY_KEY_REUSED.
 * - The tenant must exist (NOT_FOUND) and be ACTIVE (TENANT_SUSPENDED); nothing is written otherwise.
 * - Sends follow limitSends: RATE_LIMITED per caller (per destination and overall), never because of
 *   someone else's requests; past the destination's cap no new code is sent and the challenge
 *   accepts the last code delivered there (its `codeOf`), so the owner can still sign in.
 * - No enumeration: without such a customer a challenge is still stored (customerId null, random
 *   code and link hashes that nothing was sent for) and the answer has the same shape, but no
 *   notification is written and no code can ever succeed on it.
 * - The notification (clear destination, code, link) goes into the outbox, sealed with the vault,
 *   in the same transaction as the challenge; only hashes of the code and token are stored.
 */
export async function startSignIn(deps: StartSignInDeps, input: StartSignInInput): Promise<SignInChallengeView> {
  const req = parseStartSignInInput(input);
  const index = destinationIndex(deps.vault, req);
  // Over the blind index rather than the clear destination: an unkeyed hash of a phone number is
  // reversible by trying every number.
  const hash = requestFingerprint('sign-in/v1', { tenantId: req.tenantId, channel: req.channel, destinationIndex: index, magicLink: req.magicLink });

  checkTenant(await deps.db.tenant.findUnique({ where: { id: req.tenantId }, select: { id: true, status: true } }), { active: true });
  const { row } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash(['sign-in/v1', req.tenantId, req.channel, index, req.magicLink])],
    storedHash: (row: SignInChallenge) => row.requestHash,
    scope: (row) => row.tenantId === req.tenantId,
    find: () => deps.db.signInChallenge.findUnique({ where: { id: req.id } }),
    insert: () => createChallenge(deps, req, index, hash),
  });
  return challengeView(row);
}

/** A new challenge (its send decided by limitSends) and, when a code goes out, its notification in the same transaction. */
async function createChallenge(deps: StartSignInDeps, req: StartSignInRequest, index: string, requestHash: string): Promise<SignInChallenge> {
  const requesterIndex = deps.vault.blindIndex(deps.clientAddress || 'unknown', REQUESTER_CONTEXT);
  const sendQuota = deps.config.OTP_SENDS_PER_WINDOW;
  const decision = await limitSends(
    {
      redis: deps.redis,
      db: deps.db,
      prefix: deps.config.REDIS_PREFIX,
      quotas: {
        perDestinationAndAddress: sendQuota,
        perAddress: deps.config.OTP_SENDS_PER_ADDRESS_PER_WINDOW ?? sendQuota * 6,
        perDestination: deps.config.OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW ?? sendQuota * 2,
        windowSeconds: deps.config.OTP_SEND_WINDOW_SECONDS,
      },
      logger: deps.logger,
    },
    { tenantId: req.tenantId, destinationIndex: index, requesterIndex },
  );

  const customerId = await customerWithContact(deps.db, req.tenantId, req.channel, index, deps.logger);
  // Past the destination's cap: no new code; this challenge takes the last code delivered (still
  // live) instead. With none live, a code is sent after all (at most one per code lifetime).
  const heldFor = decision === 'HOLD' && customerId ? await lastLiveDelivery(deps.db, req.tenantId, index, customerId) : null;
  const code = newCode();
  const linkToken = req.magicLink && !heldFor ? newLinkToken() : null;
  // The same lifetime either way, so a held challenge cannot tell a customer's contact from a stranger's:
  // the code it takes stops working with its own challenge anyway (finishSignIn checks that one).
  const expiresAt = new Date(Date.now() + deps.config.OTP_TTL_SECONDS * 1000);
  const outbox = customerId && !heldFor ? outboxRow(deps, req, { code, linkToken, expiresAt }) : null;

  const row = await deps.db.$transaction(async (tx) => {
    const created = await tx.signInChallenge.create({
      data: {
        id: req.id,
        tenantId: req.tenantId,
        customerId,
        channel: req.channel,
        destinationIndex: index,
        maskedDestination: req.channel === 'EMAIL' ? maskEmail(req.destination) : maskPhone(req.destination),
        codeHash: codeHash(deps.vault, req.id, code),
        linkTokenHash: linkToken ? linkTokenHash(linkToken) : null,
        maxAttempts: deps.config.OTP_MAX_ATTEMPTS,
        expiresAt,
        requestHash,
        requesterIndex,
        delivered: outbox !== null,
        codeOf: heldFor?.id ?? null,
      },
    });
    if (outbox) await tx.notificationOutbox.create({ data: outbox });
    return created;
  });
  // Whether a customer matched stays out of the logs' message, but operators may need it.
  deps.logger?.info({ challengeId: row.id, tenantId: row.tenantId, channel: row.channel, delivered: outbox !== null, held: heldFor !== null }, 'sign-in challenge created');
  return row;
}

/** The newest challenge of this customer's destination whose code was sent and still works (not used, not expired). */
async function lastLiveDelivery(db: PrismaClient, tenantId: string, destinationIndex: string, customerId: string) {
  return db.signInChallenge.findFirst({
    where: { tenantId, destinationIndex, customerId, delivered: true, consumedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true },
    orderBy: { createdAt: 'desc' },
  });
}

/**
 * The ACTIVE customer of the tenant whose e-mail / phone blind index is `index`, or null. When
 * several share the contact (a person and their company, say), the oldest one signs in.
 */
async function customerWithContact(db: PrismaClient, tenantId: string, channel: NotificationChannel, index: string, logger?: Logger): Promise<string | null> {
  const matches = await db.customer.findMany({
    where: channel === 'EMAIL' ? { tenantId, emailIndex: index, status: 'ACTIVE' } : { tenantId, phoneIndex: index, status: 'ACTIVE' },
    select: { id: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 2,
  });
  if (matches.length > 1) logger?.warn({ tenantId, channel, customerId: matches[0]!.id }, 'several active customers share this sign-in contact; the oldest signs in');
  return matches[0]?.id ?? null;
}

function outboxRow(deps: StartSignInDeps, req: StartSignInRequest, secret: { code: string; linkToken: string | null; expiresAt: Date }) {
  const payload: NotificationPayload = {
    template: 'sign-in',
    channel: req.channel,
    to: req.destination,
    tenantId: req.tenantId,
    challengeId: req.id,
    code: secret.code,
    ...(secret.linkToken ? { link: magicLink(deps.config.MAGIC_LINK_URL, secret.linkToken) } : {}),
    expiresAt: secret.expiresAt.toISOString(),
  };
  return {
    id: uuidv7(),
    tenantId: req.tenantId,
    subject: notificationSubject(req.channel, req.tenantId),
    payloadSealed: deps.vault.encrypt(JSON.stringify(payload), notificationContext(req.tenantId)),
  };
}

/** MAGIC_LINK_URL with `token` set (any query the URL already has is kept). */
export function magicLink(base: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set('token', token);
  return url.toString();
}
