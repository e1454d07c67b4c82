import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden, unauthenticated } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import { authenticateApiClient, createApiClient, revokeApiClient, rotateApiClientSecret, type ApiClientRow } from '../services/api-clients';
import { refreshSession, revokeSession, sessionOfRefreshToken } from '../services/sessions';
import type { IdentityContext } from './index';
import { iso, sessionTokens } from '../services/session-tokens';

/** May the caller manage API clients of `tenantId`? Operators, and the tenant's own clients with clients:write. */
function assertManagesClients(who: Identity, tenantId: string): void {
  if (who.kind === 'operator') return;
  if (who.kind === 'api_client' && who.tenantId === tenantId && who.scopes.includes('clients:write')) return;
  throw forbidden();
}

async function managedClient(ctx: IdentityContext, id: string): Promise<ApiClientRow> {
  const who = requireIdentity(ctx.identity);
  const client = isUuid(id) ? await ctx.db.apiClient.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!client) throw forbidden();
  assertManagesClients(who, client.tenantId);
  return client;
}

const clientType = (c: ApiClientRow) => ({ ...c, createdAt: c.createdAt.toISOString(), rotatedAt: iso(c.rotatedAt) });

export const authQueries: Pick<QueryResolvers<IdentityContext>, 'apiClients'> = {
  apiClients: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    if (who.kind !== 'operator' && args.tenantId && args.tenantId !== who.tenantId) throw forbidden();
    const tenantId = who.kind === 'operator' ? args.tenantId : who.tenantId;
    if (!tenantId || !isUuid(tenantId)) throw badInput('tenantId is required.', { field: 'tenantId' });
    assertManagesClients(who, tenantId);
    return (await ctx.db.apiClient.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })).map(clientType);
  },
};

export const authMutations: Pick<
  MutationResolvers<IdentityContext>,
  'clientCredentialsToken' | 'refreshSession' | 'logout' | 'createApiClient' | 'rotateApiClientSecret' | 'revokeApiClient'
> = {
  clientCredentialsToken: async (_, args, ctx) => {
    const client = await authenticateApiClient(ctx.db, args.clientId, args.clientSecret);
    const requested = args.scope ? args.scope.split(' ').filter(Boolean) : client.scopes;
    const refused = requested.filter((s) => !client.scopes.includes(s));
    if (refused.length) throw forbidden(`The client may not request: ${refused.join(' ')}.`);
    const issued = await ctx.tokens.issue({ subject: client.id, kind: 'api_client', tenantId: client.tenantId, scopes: requested });
    // `principal` is not in the GraphQL type: it names the client for the audit trail without another query.
    return { ...issued, principal: { kind: 'api_client' as const, subject: client.id, tenantId: client.tenantId } };
  },
  refreshSession: async (_, args, ctx) => {
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
    const tenantId = who.kind === 'operator' ? args.input.tenantId : who.tenantId;
    if (!tenantId || !isUuid(tenantId)) throw badInput('tenantId is required.', { field: 'tenantId' });
    if (!isUuid(args.input.id)) throw badInput('id must be a UUID.', { field: 'id' });
    assertManagesClients(who, tenantId);
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
