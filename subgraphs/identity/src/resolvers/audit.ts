import { requireIdentity } from '@baas/auth';
import { isAuditError, type AuditEvent } from '@baas/audit';
import { badInput, DomainError, forbidden } from '@baas/errors';
import type { AuditOutcome, QueryResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from './index';

const OUTCOME_IN = { SUCCESS: 'success', FAILURE: 'failure', DENIED: 'denied' } as const;
const OUTCOME_OUT = { success: 'SUCCESS', failure: 'FAILURE', denied: 'DENIED' } as const satisfies Record<string, AuditOutcome>;

function instant(value: string | null | undefined, field: string): Date | undefined {
  if (value == null) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`${field} must be an ISO 8601 instant.`, { field });
  return date;
}

const eventType = (e: AuditEvent) => ({
  id: e.id,
  at: e.at.toISOString(),
  service: e.service,
  action: e.action,
  outcome: OUTCOME_OUT[e.outcome],
  actorKind: e.actor?.kind ?? null,
  actorSubject: e.actor?.subject ?? null,
  tenantId: e.tenantId,
  correlationId: e.correlationId,
  reason: e.reason ?? null,
  details: e.details ?? null,
});

export const auditQueries: Pick<QueryResolvers<IdentityContext>, 'auditEvents'> = {
  /** Operators read the whole trail; a tenant's API client with audit:read reads its own tenant's. */
  auditEvents: async (_, args, ctx) => {
    const who = requireIdentity(ctx.identity);
    if (!ctx.audit) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The audit trail is disabled.');
    const f = args.filter ?? {};
    let tenantId = f.tenantId ?? undefined;
    if (who.kind !== 'operator') {
      if (!who.tenantId || (tenantId && tenantId !== who.tenantId)) throw forbidden();
      tenantId = who.tenantId;
    }
    const action = f.action ?? undefined;
    try {
      const page = await ctx.audit.query(
        {
          ...(tenantId ? { tenantId } : {}),
          ...(f.subject ? { subject: f.subject } : {}),
          ...(action ? (action.endsWith('.') ? { actionPrefix: action } : { action }) : {}),
          ...(f.outcome ? { outcome: OUTCOME_IN[f.outcome] } : {}),
          ...(f.correlationId ? { correlationId: f.correlationId } : {}),
          ...(f.from ? { from: instant(f.from, 'filter.from') } : {}),
          ...(f.to ? { to: instant(f.to, 'filter.to') } : {}),
        },
        { first: args.first ?? 50, after: args.after ?? null },
      );
      return { events: page.events.map(eventType), endCursor: page.endCursor, hasNextPage: page.hasNextPage };
    } catch (error) {
      if (isAuditError(error, 'INVALID_QUERY') || isAuditError(error, 'INVALID_CURSOR')) throw badInput(error.message, { field: isAuditError(error, 'INVALID_CURSOR') ? 'after' : 'filter' });
      if (isAuditError(error, 'UNAVAILABLE')) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The audit trail is unavailable.');
      throw error;
    }
  },
};
