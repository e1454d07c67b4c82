import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { DomainError, unauthenticated } from '@baas/errors';
import type { Session } from '../generated/prisma/client';
import { hashSecret, newSecret } from '../domain/secrets';
import type { Db } from './db';

export type SessionRow = Session;

export type SessionPolicy = { refreshTtlSeconds: number; sessionTtlSeconds: number };

/** How a sign-in authenticated: RFC 8176 `amr` values, and the challenge it answered (its replays return this session). */
export type SignInProof = { amr: string[]; challengeId?: string; sessionId?: string; stepUp?: boolean };

type RefreshOutcome = Record<string, unknown> & { outcome: 'ok' | 'reused' | 'invalid' };

/** Every statement on identity.session and identity.refresh_token. */
export function createSessionStore(db: Db) {
  return {
    find: (id: string) => db.session.findUnique({ where: { id } }),

    /** The sessions of `subject` (of `tenantId` when given), newest first, at most 100; live ones only unless `includeRevoked`. */
    list: (opts: { subject: string; tenantId?: string | null; includeRevoked: boolean }) =>
      db.session.findMany({
        where: {
          subject: opts.subject,
          ...(opts.tenantId !== undefined ? { tenantId: opts.tenantId } : {}),
          ...(opts.includeRevoked ? {} : { revokedAt: null, expiresAt: { gt: new Date() } }),
        },
        orderBy: { createdAt: 'desc' },
        take: 100,
      }),

    /** Opens a session (after a successful sign-in) and returns its first refresh token. */
    async start(identity: Identity, policy: SessionPolicy, proof: SignInProof = { amr: [] }): Promise<{ session: SessionRow; refreshToken: string }> {
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
    },

    /**
     * Rotates a refresh token: the presented one is spent and a new one issued in the same family.
     * Presenting a spent token again means it leaked (or was replayed): the whole session is revoked,
     * so the thief's and the owner's tokens both stop working (OAuth 2.0 Security BCP, section 4.14):
     * REFRESH_TOKEN_REUSED; an unknown, expired or revoked one is UNAUTHENTICATED.
     *
     * One SQL statement (one round trip, no interactive transaction): the token row is locked FOR UPDATE,
     * so two refreshes with the same token are ordered and the second, re-reading the row after the
     * first commits, sees it spent and revokes the family. With `stepUpFor` the session also records a
     * passkey assertion made now (and only if it belongs to that subject).
     */
    async refresh(presented: string, policy: SessionPolicy, opts: { stepUpFor?: { subject: string } } = {}): Promise<{ session: SessionRow; refreshToken: string }> {
      const refreshToken = newSecret('brt');
      const stepUpSubject = opts.stepUpFor?.subject ?? null;
      const rows = await db.$queryRaw<RefreshOutcome[]>`
        WITH tok AS (
          SELECT id, session_id, used_at, expires_at FROM identity.refresh_token WHERE token_hash = ${hashSecret(presented)} FOR UPDATE
        ), ses AS (
          SELECT s.* FROM identity.session s JOIN tok ON s.id = tok.session_id
          WHERE s.revoked_at IS NULL AND s.expires_at > now()
        ), revoked AS (
          UPDATE identity.session SET revoked_at = now(), revoked_reason = 'REFRESH_TOKEN_REUSED'
          WHERE id = (SELECT ses.id FROM ses, tok WHERE tok.used_at IS NOT NULL)
          RETURNING *
        ), spent AS (
          UPDATE identity.refresh_token SET used_at = now()
          WHERE id = (SELECT tok.id FROM tok, ses WHERE tok.used_at IS NULL AND tok.expires_at > now()
                      AND (${stepUpSubject}::text IS NULL OR ses.subject = ${stepUpSubject}::text))
          RETURNING session_id
        ), issued AS (
          INSERT INTO identity.refresh_token (id, session_id, token_hash, created_at, expires_at)
          SELECT ${uuidv7()}::uuid, ses.id, ${hashSecret(refreshToken)}, now(), LEAST(now() + make_interval(secs => ${policy.refreshTtlSeconds}), ses.expires_at)
          FROM ses JOIN spent ON spent.session_id = ses.id
          RETURNING session_id
        ), touched AS (
          UPDATE identity.session s SET last_used_at = now(),
            step_up_at = CASE WHEN ${stepUpSubject}::text IS NULL THEN s.step_up_at ELSE now() END,
            amr = CASE WHEN ${stepUpSubject}::text IS NULL OR 'hwk' = ANY(s.amr) THEN s.amr ELSE s.amr || ARRAY['hwk'] END
          FROM issued WHERE s.id = issued.session_id
          RETURNING s.*
        )
        SELECT 'ok' AS outcome, * FROM touched
        UNION ALL SELECT 'reused', * FROM revoked
        UNION ALL SELECT 'invalid', ses.* FROM ses WHERE NOT EXISTS (SELECT 1 FROM touched) AND NOT EXISTS (SELECT 1 FROM revoked)`;
      const row = rows[0];
      if (row?.outcome === 'reused') throw new DomainError('REFRESH_TOKEN_REUSED');
      if (!row || row.outcome !== 'ok') throw unauthenticated('The refresh token is not valid.');
      return { session: toSessionRow(row), refreshToken };
    },

    async revoke(id: string, reason: 'LOGOUT' | 'REVOKED'): Promise<SessionRow> {
      const session = await db.session.findUniqueOrThrow({ where: { id } });
      if (session.revokedAt) return session;
      return db.session.update({ where: { id }, data: { revokedAt: new Date(), revokedReason: reason } });
    },

    /** The session a refresh token belongs to (for logout), or null. */
    async ofRefreshToken(presented: string): Promise<SessionRow | null> {
      const token = await db.refreshToken.findUnique({ where: { tokenHash: hashSecret(presented) }, include: { session: true } });
      return token?.session ?? null;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/** A raw identity.session row (snake_case) as the Prisma model. */
function toSessionRow(raw: Record<string, unknown>): SessionRow {
  return {
    id: raw.id as string,
    tenantId: (raw.tenant_id as string | null) ?? null,
    subject: raw.subject as string,
    kind: raw.kind as string,
    scopes: raw.scopes as string[],
    createdAt: raw.created_at as Date,
    lastUsedAt: raw.last_used_at as Date,
    expiresAt: raw.expires_at as Date,
    revokedAt: (raw.revoked_at as Date | null) ?? null,
    revokedReason: (raw.revoked_reason as string | null) ?? null,
    amr: raw.amr as string[],
    authTime: raw.auth_time as Date,
    stepUpAt: (raw.step_up_at as Date | null) ?? null,
    challengeId: (raw.challenge_id as string | null) ?? null,
  };
}
