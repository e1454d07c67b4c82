import { createHash } from 'node:crypto';
import { uuidv7 } from '@baas/db';
import { DomainError } from '@baas/errors';
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

/** The settings startSignIn reads (IdentityConfig has them all). */
export type SignInConfig = Pick<
  IdentityConfig,
  'OTP_TTL_SECONDS' | 'OTP_MAX_ATTEMPTS' | 'OTP_SENDS_PER_WINDOW' | 'OTP_SEND_WINDOW_SECONDS' | 'MAGIC_LINK_URL' | 'REDIS_PREFIX'
>;

/** What startSignIn needs (the resolver context has it all). */
export type StartSignInDeps = { db: PrismaClient; redis: Redis; vault: PiiVault; config: SignInConfig; logger?: Logger };

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
 * - Sends are limited per (tenant, destination): RATE_LIMITED with details.retryAfterSeconds.
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
  const requestHash = createHash('sha256').update(JSON.stringify(['sign-in/v1', req.tenantId, req.channel, index, req.magicLink])).digest('hex');

  const existing = await deps.db.signInChallenge.findUnique({ where: { id: req.id } });
  if (existing) return replay(existing, requestHash);

  await limitSends(
    { redis: deps.redis, db: deps.db, prefix: deps.config.REDIS_PREFIX, max: deps.config.OTP_SENDS_PER_WINDOW, windowSeconds: deps.config.OTP_SEND_WINDOW_SECONDS, logger: deps.logger },
    req.tenantId,
    index,
  );

  const customerId = await customerWithContact(deps.db, req.tenantId, req.channel, index, deps.logger);
  const code = newCode();
  const linkToken = req.magicLink ? newLinkToken() : null;
  const expiresAt = new Date(Date.now() + deps.config.OTP_TTL_SECONDS * 1000);
  const outbox = customerId ? outboxRow(deps, req, { code, linkToken, expiresAt }) : null;

  try {
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
        },
      });
      if (outbox) await tx.notificationOutbox.create({ data: outbox });
      return created;
    });
    // Whether a customer matched stays out of the logs' message, but operators may need it.
    deps.logger?.info({ challengeId: row.id, tenantId: row.tenantId, channel: row.channel, delivered: outbox !== null }, 'sign-in challenge created');
    return challengeView(row);
  } catch (error) {
    // Lost a race with the same id: a concurrent replay of this request, or another request.
    const winner = await deps.db.signInChallenge.findUnique({ where: { id: req.id } });
    if (winner) return replay(winner, requestHash);
    throw error;
  }
}

function replay(row: SignInChallenge, requestHash: string): SignInChallengeView {
  if (row.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return challengeView(row);
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
