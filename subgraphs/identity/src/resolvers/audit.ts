import type { QueryResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from '../context';
import { listAuditEvents } from '../use-cases/list-audit-events';
import { auditEventType, OUTCOME_IN } from './shapes';

export const auditQueries: Pick<QueryResolvers<IdentityContext>, 'auditEvents'> = {
  /** Operators read the whole trail; a tenant's API client with audit:read reads its own tenant's. */
  auditEvents: async (_, args, ctx) => {
    const f = args.filter;
    const filter = f ? { ...f, outcome: f.outcome ? OUTCOME_IN[f.outcome] : null } : null;
    const page = await listAuditEvents(ctx.deps, ctx.identity, { filter, first: args.first, after: args.after });
    return { events: page.events.map(auditEventType), endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  },
};
