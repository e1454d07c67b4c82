import { requireIdentity, STEP_UP_ACTIONS, type StepUpPolicy } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../generated/resolvers-types';
import { finishSignIn, finishStepUp, listPasskeys, startSignIn, startStepUp, type PasskeyDeps, type PasskeyRow } from '../services/passkey-service';
import { finishRegistration, removePasskey, startRegistration } from '../use-cases/change-passkeys';
import { cancelPasskeyRecovery, recoveryStatus, requestPasskeyRecovery, type PasskeyRecoveryRow } from '../use-cases/passkey-recovery';
import { mustBeActiveFor, requireTenant } from '../domain/tenant-rules';
import { iso, readStepUpPolicy, sessionTokens, sessionType } from '../services/session-tokens';
import { revokeSession } from '../services/sessions';
import type { IdentityContext } from './index';

export const passkeyDeps = (ctx: IdentityContext): PasskeyDeps => ({
  db: ctx.db,
  redis: ctx.redis,
  prefix: ctx.config.REDIS_PREFIX,
  rpId: ctx.config.WEBAUTHN_RP_ID,
  rpName: ctx.config.WEBAUTHN_RP_NAME,
  origins: ctx.config.WEBAUTHN_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
  vault: ctx.vault,
  changes: {
    changeStepUpSeconds: ctx.config.PASSKEY_CHANGE_STEP_UP_SECONDS,
    firstPasskeyWindowSeconds: ctx.config.FIRST_PASSKEY_WINDOW_SECONDS,
    recoveryDelaySeconds: ctx.config.PASSKEY_RECOVERY_DELAY_SECONDS,
  },
});

const recoveryType = (row: PasskeyRecoveryRow) => ({
  id: row.id,
  status: recoveryStatus(row),
  requestedAt: row.requestedAt.toISOString(),
  effectiveAt: row.effectiveAt.toISOString(),
  cancelledAt: iso(row.cancelledAt),
  completedAt: iso(row.completedAt),
});

const passkeyType = (row: PasskeyRow) => ({
  id: row.id,
  nickname: row.nickname,
  backedUp: row.backedUp,
  deviceType: row.deviceType,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

const keyInfo = (k: { kid: string; createdAt: Date; activatesAt: Date; retiredAt: Date | null }) => ({
  kid: k.kid,
  createdAt: k.createdAt.toISOString(),
  activatesAt: k.activatesAt.toISOString(),
  retiredAt: iso(k.retiredAt),
});

/** A tenant's own principal acts only while its tenant is ACTIVE (TENANT_SUSPENDED), operators always. */
async function activeTenantOf(ctx: IdentityContext): Promise<void> {
  const who = requireIdentity(ctx.identity);
  if (mustBeActiveFor(who) && who.tenantId) await requireTenant((id) => ctx.loaders.tenant.load(id), who.tenantId, { active: true });
}

export const passkeyQueries: Pick<QueryResolvers<IdentityContext>, 'passkeys' | 'sessions' | 'signingKeys'> = {
  passkeys: async (_, __, ctx) => (await listPasskeys(ctx.db, ctx.identity)).map(passkeyType),
  sessions: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    let subject: string;
    if (who.kind === 'operator') {
      if (!args.subject) throw badInput('subject is required.', { field: 'subject' });
      subject = args.subject;
    } else if (who.kind === 'customer') {
      if (args.subject && args.subject !== who.subject) throw forbidden();
      subject = who.subject;
    } else throw forbidden();
    const rows = await ctx.db.session.findMany({
      where: { subject, ...(who.kind === 'customer' ? { tenantId: who.tenantId } : {}), ...(args.includeRevoked ? {} : { revokedAt: null, expiresAt: { gt: new Date() } }) },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
    return rows.map(sessionType);
  },
  signingKeys: (_, __, ctx) => {
    const who = requireIdentity(ctx.identity);
    if (who.kind !== 'operator') throw forbidden();
    return ctx.keyRing.list().map(keyInfo);
  },
};

export const passkeyMutations: Pick<
  MutationResolvers<IdentityContext>,
  | 'startPasskeyRegistration'
  | 'finishPasskeyRegistration'
  | 'removePasskey'
  | 'startPasskeySignIn'
  | 'finishPasskeySignIn'
  | 'startStepUp'
  | 'finishStepUp'
  | 'revokeSession'
  | 'setStepUpPolicy'
  | 'rotateSigningKey'
  | 'requestPasskeyRecovery'
  | 'cancelPasskeyRecovery'
> = {
  // Adding or removing a passkey: use-cases/change-passkeys (step-up with an existing passkey, the
  // first passkey right after sign-up, or a delayed and notified recovery).
  startPasskeyRegistration: async (_, __, ctx) => {
    await activeTenantOf(ctx);
    const start = await startRegistration(passkeyDeps(ctx), ctx.identity);
    return { challengeId: start.challengeId, options: start.options, expiresAt: start.expiresAt };
  },
  finishPasskeyRegistration: async (_, args, ctx) => {
    await activeTenantOf(ctx);
    return passkeyType(await finishRegistration(passkeyDeps(ctx), ctx.identity, { challengeId: args.input.challengeId, response: args.input.response, nickname: args.input.nickname }));
  },
  removePasskey: async (_, args, ctx) => {
    await activeTenantOf(ctx);
    return passkeyType(await removePasskey(passkeyDeps(ctx), ctx.identity, args.id));
  },
  requestPasskeyRecovery: async (_, args, ctx) => {
    await activeTenantOf(ctx);
    return recoveryType(await requestPasskeyRecovery(passkeyDeps(ctx), ctx.identity, args.id));
  },
  cancelPasskeyRecovery: async (_, args, ctx) => recoveryType(await cancelPasskeyRecovery(passkeyDeps(ctx), ctx.identity, args.id)),
  startPasskeySignIn: async (_, args, ctx) => startSignIn(passkeyDeps(ctx), args.input),
  finishPasskeySignIn: async (_, args, ctx) => {
    const { session, refreshToken } = await finishSignIn(passkeyDeps(ctx), ctx.sessionPolicy, args.input);
    return sessionTokens(ctx, session, refreshToken);
  },
  startStepUp: async (_, __, ctx) => {
    await activeTenantOf(ctx);
    return startStepUp(passkeyDeps(ctx), ctx.identity);
  },
  finishStepUp: async (_, args, ctx) => {
    await activeTenantOf(ctx);
    const { session, refreshToken } = await finishStepUp(passkeyDeps(ctx), ctx.sessionPolicy, ctx.identity, { ...args.input, refreshToken: args.refreshToken });
    return sessionTokens(ctx, session, refreshToken);
  },
  revokeSession: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    const row = isUuid(args.id) ? await ctx.db.session.findUnique({ where: { id: args.id.toLowerCase() } }) : null;
    const own = row && who.kind === 'customer' && row.subject === who.subject && row.tenantId === who.tenantId;
    if (!row || (!own && who.kind !== 'operator')) throw forbidden();
    return sessionType(await revokeSession(ctx.db, row.id, 'REVOKED'));
  },
  setStepUpPolicy: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    if (who.kind !== 'operator' && args.tenantId != null && args.tenantId.toLowerCase() !== who.tenantId) throw forbidden();
    const named = who.kind === 'operator' ? args.tenantId : who.tenantId;
    if (named == null) throw badInput('tenantId is required.', { field: 'tenantId' });
    const allowed = who.kind === 'operator' || (who.kind === 'api_client' && who.scopes.includes('tenant:write'));
    if (!allowed) throw forbidden();
    // Unknown or malformed: NOT_FOUND, nothing written; a suspended tenant's own client changes nothing.
    const tenantId = (await requireTenant((id) => ctx.loaders.tenant.load(id), named, { active: mustBeActiveFor(who) })).id;
    const policy: Record<string, { maxAgeSeconds: number; minAmountMinor?: string }> = {};
    for (const [i, rule] of args.rules.entries()) {
      if (!(STEP_UP_ACTIONS as readonly string[]).includes(rule.action)) throw badInput('Unknown action.', { field: `rules.${i}.action` });
      if (rule.maxAgeSeconds < 30 || rule.maxAgeSeconds > 3600) throw badInput('maxAgeSeconds must be 30 to 3600.', { field: `rules.${i}.maxAgeSeconds` });
      if (rule.minAmountMinor != null && !/^\d{1,19}$/.test(rule.minAmountMinor)) throw badInput('minAmountMinor must be a non-negative integer.', { field: `rules.${i}.minAmountMinor` });
      policy[rule.action] = { maxAgeSeconds: rule.maxAgeSeconds, ...(rule.minAmountMinor != null ? { minAmountMinor: rule.minAmountMinor } : {}) };
    }
    // Setting a policy is a replace: repeating it is harmless (idempotent by content).
    return ctx.db.tenant.update({ where: { id: tenantId }, data: { stepUpPolicy: policy satisfies StepUpPolicy } });
  },
  rotateSigningKey: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    if (who.kind !== 'operator') throw forbidden();
    const after = args.activateAfterSeconds ?? 60;
    if (after < 0 || after > 86_400) throw badInput('activateAfterSeconds must be 0 to 86400.', { field: 'activateAfterSeconds' });
    return keyInfo(await ctx.keyRing.rotate(after));
  },
};

export const tenantPolicyResolvers: Pick<Resolvers<IdentityContext>, 'Tenant'> = {
  Tenant: {
    stepUpPolicy: (tenant) =>
      Object.entries(readStepUpPolicy(tenant.stepUpPolicy)).map(([action, rule]) => ({
        action: action as (typeof STEP_UP_ACTIONS)[number],
        maxAgeSeconds: rule.maxAgeSeconds,
        minAmountMinor: rule.minAmountMinor ?? null,
      })),
  },
};
