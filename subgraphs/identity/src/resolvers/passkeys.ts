import { requireIdentity, STEP_UP_ACTIONS, type StepUpPolicy } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { assertStepUp } from '@baas/authz';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../generated/resolvers-types';
import {
  finishRegistration,
  finishSignIn,
  finishStepUp,
  listPasskeys,
  removePasskey,
  startRegistration,
  startSignIn,
  startStepUp,
  type PasskeyDeps,
  type PasskeyRow,
} from '../services/passkey-service';
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
> = {
  startPasskeyRegistration: async (_, __, ctx) => {
    const who = requireIdentity(ctx.identity);
    const customer = who.kind === 'customer' ? await ctx.loaders.customer.load(who.subject) : null;
    if (!customer || customer.tenantId !== who.tenantId) throw forbidden('Only a signed-in customer can do this.');
    const existing = await ctx.db.passkeyCredential.count({ where: { customerId: who.subject, removedAt: null } });
    // A second passkey is a new way into the account: the tenant may want a recent confirmation with the first.
    if (existing > 0) assertStepUp(who, 'ADD_PASSKEY');
    const start = await startRegistration(passkeyDeps(ctx), who, customer.displayName);
    return { challengeId: start.challengeId, options: start.options, expiresAt: start.expiresAt };
  },
  finishPasskeyRegistration: async (_, args, ctx) =>
    passkeyType(await finishRegistration(passkeyDeps(ctx), ctx.identity, { challengeId: args.input.challengeId, response: args.input.response, nickname: args.input.nickname })),
  removePasskey: async (_, args, ctx) => passkeyType(await removePasskey(ctx.db, ctx.identity, args.id)),
  startPasskeySignIn: async (_, args, ctx) => startSignIn(passkeyDeps(ctx), args.input),
  finishPasskeySignIn: async (_, args, ctx) => {
    const { session, refreshToken } = await finishSignIn(passkeyDeps(ctx), ctx.sessionPolicy, args.input);
    return sessionTokens(ctx, session, refreshToken);
  },
  startStepUp: async (_, __, ctx) => startStepUp(passkeyDeps(ctx), ctx.identity),
  finishStepUp: async (_, args, ctx) => {
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
    const tenantId = who.kind === 'operator' ? args.tenantId : who.tenantId;
    if (!tenantId || !isUuid(tenantId)) throw badInput('tenantId is required.', { field: 'tenantId' });
    const allowed = who.kind === 'operator' || (who.kind === 'api_client' && who.tenantId === tenantId && who.scopes.includes('tenant:write'));
    if (!allowed) throw forbidden();
    const policy: Record<string, { maxAgeSeconds: number; minAmountMinor?: string }> = {};
    for (const [i, rule] of args.rules.entries()) {
      if (!(STEP_UP_ACTIONS as readonly string[]).includes(rule.action)) throw badInput('Unknown action.', { field: `rules.${i}.action` });
      if (rule.maxAgeSeconds < 30 || rule.maxAgeSeconds > 3600) throw badInput('maxAgeSeconds must be 30 to 3600.', { field: `rules.${i}.maxAgeSeconds` });
      if (rule.minAmountMinor != null && !/^\d{1,19}$/.test(rule.minAmountMinor)) throw badInput('minAmountMinor must be a non-negative integer.', { field: `rules.${i}.minAmountMinor` });
      policy[rule.action] = { maxAgeSeconds: rule.maxAgeSeconds, ...(rule.minAmountMinor != null ? { minAmountMinor: rule.minAmountMinor } : {}) };
    }
    // Setting a policy is a replace: repeating it is harmless (idempotent by content).
    const tenant = await ctx.db.tenant.update({ where: { id: tenantId.toLowerCase() }, data: { stepUpPolicy: policy satisfies StepUpPolicy } }).catch(() => null);
    if (!tenant) throw who.kind === 'operator' ? badInput('No such tenant.', { field: 'tenantId' }) : forbidden();
    return tenant;
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
