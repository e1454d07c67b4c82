import type { Resolvers } from '../generated/resolvers-types';
import { withAuthAudit } from './audited';
import { auditQueries } from './audit';
import { authMutations, authQueries } from './auth';
import { customerMutations, customerQueries, entityResolvers } from './customers';
import { passkeyMutations, passkeyQueries } from './passkeys';
import { signInMutations } from './sign-in';
import { tenantMutations, tenantQueries } from './tenants';

/** The identity resolvers: each parses its arguments, calls a use case and shapes the result. */
export const resolvers: Resolvers = {
  Query: {
    ...customerQueries,
    ...authQueries,
    ...passkeyQueries,
    ...auditQueries,
    ...tenantQueries,
  },
  Mutation: withAuthAudit({
    ...authMutations,
    ...signInMutations,
    ...passkeyMutations,
    ...tenantMutations,
    ...customerMutations,
  }),
  ...entityResolvers,
};
