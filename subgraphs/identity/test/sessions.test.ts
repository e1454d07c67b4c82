import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createTestDatabase } from '@baas/testing';
import { PrismaClient } from '../src/generated/prisma/client';
import { createSessionStore } from '../src/store/session-store';

const policy = { refreshTtlSeconds: 3600, sessionTtlSeconds: 86_400 };

describe('sessions and refresh-token rotation (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let prisma: PrismaClient;
  let sessions: ReturnType<typeof createSessionStore>;
  before(async () => {
    db = await createTestDatabase({ domains: ['identity'] });
    prisma = createPrismaClient(PrismaClient, db.url);
    sessions = createSessionStore(prisma);
  });
  after(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });
  const customer = () => ({ subject: uuidv7(), kind: 'customer' as const, tenantId: uuidv7(), scopes: ['accounts:read'] });

  it('rotates on every use: each refresh token works once and the chain goes on', async () => {
    const { session, refreshToken: first } = await sessions.start(customer(), policy);
    const second = await sessions.refresh(first, policy);
    const third = await sessions.refresh(second.refreshToken, policy);
    assert.equal(third.session.id, session.id);
    assert.notEqual(second.refreshToken, third.refreshToken);
    const stored = await prisma.refreshToken.findMany({ where: { sessionId: session.id } });
    assert.equal(stored.length, 3);
    assert.ok(stored.every((t) => !t.tokenHash.includes(first) && t.tokenHash.length === 64), 'only hashes are stored');
  });

  it('a reused refresh token revokes the whole family', async () => {
    const { session, refreshToken: stolen } = await sessions.start(customer(), policy);
    const legit = await sessions.refresh(stolen, policy);
    await assert.rejects(sessions.refresh(stolen, policy), { code: 'REFRESH_TOKEN_REUSED' });
    await assert.rejects(sessions.refresh(legit.refreshToken, policy), { code: 'UNAUTHENTICATED' }, 'the newest token dies with its family');
    const after = await prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    assert.equal(after.revokedReason, 'REFRESH_TOKEN_REUSED');
  });

  it('two refreshes racing with the same token: one wins, the other is a reuse', async () => {
    const { refreshToken } = await sessions.start(customer(), policy);
    const outcomes = await Promise.allSettled([sessions.refresh(refreshToken, policy), sessions.refresh(refreshToken, policy)]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const failed = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.equal((failed.reason as { code: string }).code, 'REFRESH_TOKEN_REUSED');
  });

  it('logout ends the session; unknown and garbage tokens are refused the same way', async () => {
    const { refreshToken } = await sessions.start(customer(), policy);
    const session = await sessions.ofRefreshToken(refreshToken);
    await sessions.revoke(session!.id, 'LOGOUT');
    await assert.rejects(sessions.refresh(refreshToken, policy), { code: 'UNAUTHENTICATED' });
    await assert.rejects(sessions.refresh('brt_nope', policy), { code: 'UNAUTHENTICATED' });
  });
});
