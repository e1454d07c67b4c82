import { DomainError, unauthenticated } from '@baas/errors';
import { uuidv7 } from '@baas/db';
import type { Identity } from '@baas/auth';
import type { PrismaClient } from '../generated/prisma/client';
import { hashSecret, newSecret } from './secrets';

export type SessionRow = Awaited<ReturnType<PrismaClient['session']['findUniqueOrThrow']>>;

export type SessionPolicy = { refreshTtlSeconds: number; sessionTtlSeconds: number };

type Db = PrismaClient | Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** How a sign-in authenticated: RFC 8176 `amr` values, and the challenge it answered (its replays return this session). */
export type SignInProof = { amr: string[]; challengeId?: string; sessionId?: string; stepUp?: boolean };

/** Opens a session (after a successful sign-in) and returns its first refresh token. */
export async function startSession(db: Db, identity: Identity, policy: SessionPolicy, proof: SignInProof = { amr: [] }): Promise<{ session: SessionRow; refreshToken: string }> {
  const refreshToken = newSecret('brt');
  const now = Date.now();
  const session = await db.session.create({
    data: {
      id: proof.sessionId ?? uuidv7(),
      tenantId: identity.tenantId,
      subject: identity.subject,
      kind: identity.kind,
      scopes: [...identity.scopes],
      amr: proof.amr,
      authTime: new Date(now),
      stepUpAt: proof.stepUp ? new Date(now) : null,
      challengeId: proof.challengeId ?? null,
      expiresAt: new Date(now + policy.sessionTtlSeconds * 1000),
      refreshTokens: { create: { id: uuidv7(), tokenHash: hashSecret(refreshToken), expiresAt: new Date(now + policy.refreshTtlSeconds * 1000) } },
    },
  });
  return { session, refreshToken };
}

/**
 * A repeated successful sign-in (the client lost the answer and retried): the session opened by that
 * challenge gets a fresh refresh token, and the unused ones issued before are retired (expired, not
 * marked used, so they do not trip reuse detection). Null when the challenge opened no session or the
 * session has ended.
 */
export async function reissueForChallenge(db: PrismaClient, challengeId: string, policy: SessionPolicy): Promise<{ session: SessionRow; refreshToken: string } | null> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM identity.session WHERE challenge_id = ${challengeId}::uuid FOR UPDATE`;
    const session = rows[0] ? await tx.session.findUnique({ where: { id: rows[0].id } }) : null;
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
    const now = new Date();
    await tx.refreshToken.updateMany({ where: { sessionId: session.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    const refreshToken = newSecret('brt');
    await tx.refreshToken.create({
      data: { id: uuidv7(), sessionId: session.id, tokenHash: hashSecret(refreshToken), expiresAt: new Date(Math.min(now.getTime() + policy.refreshTtlSeconds * 1000, session.expiresAt.getTime())) },
    });
    return { session, refreshToken };
  });
}

/**
 * Rotates a refresh token: the presented one is spent and a new one issued in the same family.
 * Presenting a spent token again means it leaked (or was replayed): the whole session is revoked,
 * so the thief's and the owner's tokens both stop working (OAuth 2.0 Security BCP, section 4.14).
 */
export async function refreshSession(
  db: PrismaClient,
  presented: string,
  policy: SessionPolicy,
  opts: { stepUpFor?: { subject: string } } = {},
): Promise<{ session: SessionRow; refreshToken: string }> {
  const tokenHash = hashSecret(presented);
  const outcome = await db.$transaction(async (tx) => {
    // Row lock on the token: two refreshes with the same token are ordered, the second is a reuse.
    const rows = await tx.$queryRaw<{ id: string; session_id: string; used_at: Date | null; expires_at: Date }[]>`
      SELECT id, session_id, used_at, expires_at FROM identity.refresh_token WHERE token_hash = ${tokenHash} FOR UPDATE`;
    const token = rows[0];
    if (!token) return { kind: 'invalid' as const };
    const session = await tx.session.findUnique({ where: { id: token.session_id } });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return { kind: 'invalid' as const };
    if (token.used_at) {
      await tx.session.update({ where: { id: session.id }, data: { revokedAt: new Date(), revokedReason: 'REFRESH_TOKEN_REUSED' } });
      return { kind: 'reused' as const };
    }
    if (token.expires_at <= new Date()) return { kind: 'invalid' as const };
    if (opts.stepUpFor && opts.stepUpFor.subject !== session.subject) return { kind: 'invalid' as const };
    const refreshToken = newSecret('brt');
    const now = Date.now();
    await tx.refreshToken.update({ where: { id: token.id }, data: { usedAt: new Date(now) } });
    await tx.refreshToken.create({
      data: { id: uuidv7(), sessionId: session.id, tokenHash: hashSecret(refreshToken), expiresAt: new Date(Math.min(now + policy.refreshTtlSeconds * 1000, session.expiresAt.getTime())) },
    });
    const updated = await tx.session.update({
      where: { id: session.id },
      data: { lastUsedAt: new Date(now), ...(opts.stepUpFor ? { stepUpAt: new Date(now), amr: [...new Set([...session.amr, 'hwk'])] } : {}) },
    });
    return { kind: 'ok' as const, session: updated, refreshToken };
  });
  if (outcome.kind === 'reused') throw new DomainError('REFRESH_TOKEN_REUSED');
  if (outcome.kind === 'invalid') throw unauthenticated('The refresh token is not valid.');
  return { session: outcome.session, refreshToken: outcome.refreshToken };
}

export async function revokeSession(db: PrismaClient, id: string, reason: 'LOGOUT' | 'REVOKED'): Promise<SessionRow> {
  const session = await db.session.findUniqueOrThrow({ where: { id } });
  if (session.revokedAt) return session;
  return db.session.update({ where: { id }, data: { revokedAt: new Date(), revokedReason: reason } });
}

/** The session a refresh token belongs to (for logout), or null. */
export async function sessionOfRefreshToken(db: PrismaClient, presented: string): Promise<SessionRow | null> {
  const token = await db.refreshToken.findUnique({ where: { tokenHash: hashSecret(presented) }, include: { session: true } });
  return token?.session ?? null;
}
