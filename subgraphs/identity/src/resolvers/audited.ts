import type { GraphQLResolveInfo } from 'graphql';
import type { AuditActor } from '@baas/audit';
import { isDomainError } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { IdentityContext } from '../context';
import type { MutationResolvers } from '../generated/resolvers-types';
import { auditsOnTenant } from '../permissions';
import { findPresentedActor, type PresentedActor } from '../use-cases/find-presented-actor';

type Resolver = (parent: unknown, args: Record<string, unknown>, ctx: IdentityContext, info: GraphQLResolveInfo) => unknown;
type Who = PresentedActor;

/** What the audit trail says about each authentication mutation (arguments named here are ids, never secrets). */
const AUDITED: Record<
  string,
  {
    action: string;
    target?: (args: Record<string, unknown>) => { type: string; id: string } | undefined;
    /** The tenant the event concerns when it is not the caller's (an operator acting on a tenant), so the tenant's audit readers see it. */
    tenant?: (args: Record<string, unknown>) => unknown;
  }
> = {
  clientCredentialsToken: { action: 'auth.client_credentials', target: (a) => ({ type: 'ApiClient', id: String(a.clientId) }) },
  refreshSession: { action: 'auth.token.refresh' },
  logout: { action: 'auth.logout' },
  startSignIn: { action: 'auth.signin.start', target: (a) => ({ type: 'SignInChallenge', id: String((a.input as { id?: unknown })?.id) }) },
  verifySignInCode: { action: 'auth.signin.code', target: (a) => ({ type: 'SignInChallenge', id: String(a.challengeId) }) },
  redeemMagicLink: { action: 'auth.signin.magic_link' },
  startPasskeySignIn: { action: 'auth.signin.passkey.start' },
  finishPasskeySignIn: { action: 'auth.signin.passkey', target: (a) => ({ type: 'PasskeyChallenge', id: String((a.input as { challengeId?: unknown })?.challengeId) }) },
  startPasskeyRegistration: { action: 'auth.passkey.register.start' },
  finishPasskeyRegistration: { action: 'auth.passkey.register' },
  removePasskey: { action: 'auth.passkey.remove', target: (a) => ({ type: 'Passkey', id: String(a.id) }) },
  startStepUp: { action: 'auth.stepup.start' },
  finishStepUp: { action: 'auth.stepup' },
  revokeSession: { action: 'auth.session.revoke', target: (a) => ({ type: 'Session', id: String(a.id) }) },
  createApiClient: { action: 'auth.api_client.create', target: (a) => ({ type: 'ApiClient', id: String((a.input as { id?: unknown })?.id) }) },
  rotateApiClientSecret: { action: 'auth.api_client.rotate', target: (a) => ({ type: 'ApiClient', id: String(a.id) }) },
  revokeApiClient: { action: 'auth.api_client.revoke', target: (a) => ({ type: 'ApiClient', id: String(a.id) }) },
  setStepUpPolicy: { action: 'auth.step_up_policy.set' },
  // A service had a one-time code sent to a customer (the code and the destination are never recorded).
  sendCustomerCode: { action: 'notify.customer_code', target: (a) => ({ type: 'Customer', id: String(a.customerId) }), tenant: (a) => a.tenantId },
  rotateSigningKey: { action: 'auth.signing_key.rotate' },
  requestPasskeyRecovery: { action: 'auth.passkey.recovery.request', target: (a) => ({ type: 'PasskeyRecovery', id: String(a.id) }) },
  cancelPasskeyRecovery: { action: 'auth.passkey.recovery.cancel', target: (a) => ({ type: 'PasskeyRecovery', id: String(a.id) }) },
  createCustomer: { action: 'identity.customer.create', target: (a) => ({ type: 'Customer', id: String((a.input as { id?: unknown })?.id) }), tenant: (a) => (a.input as { tenantId?: unknown })?.tenantId },
  createTenant: { action: 'identity.tenant.create', target: (a) => ({ type: 'Tenant', id: String((a.input as { id?: unknown })?.id) }), tenant: (a) => (a.input as { id?: unknown })?.id },
  switchTenantToLive: { action: 'identity.tenant.go_live', target: (a) => ({ type: 'Tenant', id: String(a.tenantId) }), tenant: (a) => a.tenantId },
  suspendTenant: { action: 'identity.tenant.suspend', target: (a) => ({ type: 'Tenant', id: String(a.tenantId) }), tenant: (a) => a.tenantId },
  reactivateTenant: { action: 'identity.tenant.reactivate', target: (a) => ({ type: 'Tenant', id: String(a.tenantId) }), tenant: (a) => a.tenantId },
};

/** The principal a successful call produced (its session or client), else the caller, else what the call presented. */
async function whoOf(name: string, ctx: IdentityContext, result: unknown, args: Record<string, unknown>): Promise<Who> {
  const principal = (result as { principal?: AuditActor } | null)?.principal;
  if (principal) return { actor: principal, tenantId: principal.tenantId };
  const session = (result as { session?: { subject?: string; kind?: string; tenantId?: string | null } } | null)?.session;
  if (session?.subject && session.kind) return { actor: { kind: session.kind as AuditActor['kind'], subject: session.subject, tenantId: session.tenantId ?? null }, tenantId: session.tenantId ?? null };
  if (ctx.identity) return { actor: { kind: ctx.identity.kind, subject: ctx.identity.subject, tenantId: ctx.identity.tenantId }, tenantId: ctx.identity.tenantId };
  const presented = await findPresentedActor(ctx.deps, name, args).catch(() => null);
  return presented ?? { actor: null, tenantId: null };
}

/**
 * Wraps the authentication mutations so each success and each failure lands in the audit trail:
 * who, what, outcome, the error code as the reason, and the correlation id (record() never blocks).
 */
export function withAuthAudit(mutations: MutationResolvers<IdentityContext>): MutationResolvers<IdentityContext> {
  const out: Record<string, unknown> = { ...mutations };
  for (const [name, spec] of Object.entries(AUDITED)) {
    const resolve = (mutations as Record<string, unknown>)[name] as Resolver | undefined;
    if (!resolve) continue;
    out[name] = async (parent: unknown, args: Record<string, unknown>, ctx: IdentityContext, info: GraphQLResolveInfo) => {
      const target = spec.target?.(args);
      const concerned = spec.tenant?.(args);
      // Only for operators: what a tenant's own principal names never lands in another tenant's trail.
      const onTenant = auditsOnTenant(ctx.identity) && typeof concerned === 'string' && isUuid(concerned) ? concerned.toLowerCase() : null;
      const tenantOf = (who: Who): Who => (onTenant ? { ...who, tenantId: onTenant } : who);
      try {
        const result = await resolve(parent, args, ctx, info);
        if (ctx.audit) {
          const who = tenantOf(await whoOf(name, ctx, result, args));
          ctx.audit.record({ action: spec.action, outcome: 'success', ...who, ...(target ? { target } : {}), correlationId: ctx.correlationId });
        }
        return result;
      } catch (error) {
        const code = isDomainError(error) ? error.code : 'INTERNAL_SERVER_ERROR';
        const reason = isDomainError(error) && typeof error.details?.reason === 'string' ? `${code}:${error.details.reason}` : code;
        if (ctx.audit) {
          const who = tenantOf(await whoOf(name, ctx, null, args));
          ctx.audit.record({ action: spec.action, outcome: code === 'FORBIDDEN' ? 'denied' : 'failure', ...who, ...(target ? { target } : {}), correlationId: ctx.correlationId, reason });
        }
        throw error;
      }
    };
  }
  return out as MutationResolvers<IdentityContext>;
}
