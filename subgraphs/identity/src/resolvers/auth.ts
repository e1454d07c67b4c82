import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden, unauthenticated } from '@baas/errors';
import { clientGrantRefusal } from '../domain/client-grants';
import { checkTenant, mustBeActiveFor, requireTenant } from '../domain/tenant-rules';
import { isUuid } from '@baas/server';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import { authenticateApiClient, createApiClient, revokeApiClient, rotateApiClientSecret, type ApiClientRow } from '../services/api-clients';
import { refreshSession, revokeSession, sessionOfRefreshToken } from '../services/sessions';
import type { IdentityContext } from './index';
import { assertMayGetTokens, iso, sessionTokens } from '../services/session-tokens';

/**
 * The caller may manage (create, rotate, revoke) a client of `tenantId` holding `scopes`: the one rule
 * in domain/client-grants. FORBIDDEN otherwise; when only scopes are missing, they are named.
 */
function assertManagesClient(who: Identity, target: { tenantId: string; scopes: readonly string[] }): void {
  const refusal = clientGrantRefusal(who, target);
  if (!refusal) return;
  if (refusal.missingScopes.length === 0) throw forbidden();
  throw new DomainError('FORBIDDEN', `A client can only grant, rotate or revoke scopes it holds itself; missing: ${refusal.missingScopes.join(' ')}.`, {
    reason: 'SCOPE_ESCALATION',
    missingScopes: refusal.missingScopes,
  });
}

/** The caller may list the clients of `tenantId`: operators, and the tenant's own clients with clients:write. */
function assertListsClients(who: Identity, tenantId: string): void {
  if (who.kind === 'operator') return;
  if (who.kind === 'api_client' && who.tenantId === tenantId && who.scopes.includes('clients:write')) return;
  throw forbidden();
}

/** The tenant an operator names, or the caller's own: it must exist (NOT_FOUND) and, for a tenant's own principal, be ACTIVE. */
async function tenantFor(ctx: IdentityContext, who: Identity, named: string | null | undefined): Promise<string> {
  if (who.kind !== 'operator' && named != null && named.toLowerCase() !== who.tenantId) throw forbidden();
  const tenantId = who.kind === 'operator' ? named : who.tenantId;
  if (tenantId == null) throw badInput('tenantId is required.', { field: 'tenantId' });
  const tenant = await requireTenant((id) => ctx.loaders.tenant.load(id), tenantId, { active: mustBeActiveFor(who) });
  return tenant.id;
}

async function managedClient(ctx: IdentityContext, id: string): Promise<ApiClientRow> {
  const who = requireIdentity(ctx.identity);
  const client = isUuid(id) ? await ctx.db.apiClient.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!client) throw forbidden();
  assertManagesClient(who, client);
  if (mustBeActiveFor(who)) await tenantFor(ctx, who, client.tenantId);
  return client;
}

const clientType = (c: ApiClientRow) => ({ ...c, createdAt: c.createdAt.toISOString(), rotatedAt: iso(c.rotatedAt) });

export const authQueries: Pick<QueryResolvers<IdentityContext>, 'apiClients'> = {
  apiClients: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    const tenantId = await tenantFor(ctx, who, args.tenantId);
    assertListsClients(who, tenantId);
    return (await ctx.db.apiClient.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })).map(clientType);
  },
};

export const authMutations: Pick<
  MutationResolvers<IdentityContext>,
  'clientCredentialsToken' | 'refreshSession' | 'logout' | 'createApiClient' | 'rotateApiClientSecret' | 'revokeApiClient'
> = {
  clientCredentialsToken: async (_, args, ctx) => {
    const client = await authenticateApiClient(ctx.db, args.clientId, args.clientSecret);
    // A suspended tenant's clients get no new tokens.
    checkTenant(await ctx.loaders.tenant.load(client.tenantId), { active: true });
    const requested = args.scope ? args.scope.split(' ').filter(Boolean) : client.scopes;
    const refused = requested.filter((s) => !client.scopes.includes(s));
    if (refused.length) throw forbidden(`The client may not request: ${refused.join(' ')}.`);
    const issued = await ctx.tokens.issue({ subject: client.id, kind: 'api_client', tenantId: client.tenantId, scopes: requested });
    // `principal` is not in the GraphQL type: it names the client for the audit trail without another query.
    return { ...issued, principal: { kind: 'api_client' as const, subject: client.id, tenantId: client.tenantId } };
  },
  refreshSession: async (_, args, ctx) => {
    // Checked before the token is spent: a suspended tenant's sessions get no new tokens, and keep their refresh token.
    const current = await sessionOfRefreshToken(ctx.db, args.refreshToken);
    if (current && !current.revokedAt) await assertMayGetTokens(current, ctx.loaders);
    const { session, refreshToken } = await refreshSession(ctx.db, args.refreshToken, ctx.sessionPolicy);
    return sessionTokens(ctx, session, refreshToken);
  },
  logout: async (_, args, ctx) => {
    const session = await sessionOfRefreshToken(ctx.db, args.refreshToken);
    if (!session) throw unauthenticated('The refresh token is not valid.');
    await revokeSession(ctx.db, session.id, 'LOGOUT');
    return true;
  },
  createApiClient: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    if (!isUuid(args.input.id)) throw badInput('id must be a UUID.', { field: 'id' });
    const tenantId = await tenantFor(ctx, who, args.input.tenantId);
    assertManagesClient(who, { tenantId, scopes: args.input.scopes });
    const out = await createApiClient(ctx.db, { id: args.input.id.toLowerCase(), tenantId, name: args.input.name, scopes: args.input.scopes });
    return { client: clientType(out.client), clientSecret: out.secret, status: out.status };
  },
  rotateApiClientSecret: async (_, args, ctx) => {
    const client = await managedClient(ctx, args.id);
    const out = await rotateApiClientSecret(ctx.db, client.id);
    return { client: clientType(out.client), clientSecret: out.secret, status: 'CREATED' };
  },
  revokeApiClient: async (_, args, ctx) => {
    const client = await managedClient(ctx, args.id);
    return clientType(await revokeApiClient(ctx.db, client.id));
  },
};
