import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from '../context';
import { createApiClient } from '../use-cases/create-api-client';
import { issueClientToken } from '../use-cases/issue-client-token';
import { listApiClients } from '../use-cases/list-api-clients';
import { logOut } from '../use-cases/log-out';
import { refreshSession } from '../use-cases/refresh-session';
import { revokeApiClient } from '../use-cases/revoke-api-client';
import { rotateApiClientSecret } from '../use-cases/rotate-api-client-secret';
import { clientType, sessionTokensType } from './shapes';

/** API clients and their tokens, refresh and logout. */
export const authQueries: Pick<QueryResolvers<IdentityContext>, 'apiClients'> = {
  apiClients: async (_, args, ctx) => (await listApiClients(ctx.deps, ctx.identity, args)).map(clientType),
};

export const authMutations: Pick<
  MutationResolvers<IdentityContext>,
  'clientCredentialsToken' | 'refreshSession' | 'logout' | 'createApiClient' | 'rotateApiClientSecret' | 'revokeApiClient'
> = {
  // `principal` is not in the GraphQL type: it names the client for the audit trail without another query.
  clientCredentialsToken: (_, args, ctx) => issueClientToken(ctx.deps, args),
  refreshSession: async (_, args, ctx) => sessionTokensType(await refreshSession(ctx.deps, args)),
  logout: (_, args, ctx) => logOut(ctx.deps, args),
  createApiClient: async (_, args, ctx) => {
    const out = await createApiClient(ctx.deps, ctx.identity, args.input);
    return { client: clientType(out.client), clientSecret: out.secret, status: out.status };
  },
  rotateApiClientSecret: async (_, args, ctx) => {
    const out = await rotateApiClientSecret(ctx.deps, ctx.identity, args);
    return { client: clientType(out.client), clientSecret: out.secret, status: 'CREATED' };
  },
  revokeApiClient: async (_, args, ctx) => clientType(await revokeApiClient(ctx.deps, ctx.identity, args)),
};
