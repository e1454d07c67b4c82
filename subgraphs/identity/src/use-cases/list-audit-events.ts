import { requireIdentity, type Identity } from '@baas/auth';
import { isAuditError, type AuditEvent } from '@baas/audit';
import { badInput, DomainError } from '@baas/errors';
import { auditedTenant } from '../permissions';
import type { IdentityDeps } from './deps';

export type AuditEventFilter = {
  tenantId?: string | null;
  subject?: string | null;
  action?: string | null;
  outcome?: 'success' | 'failure' | 'denied' | null;
  correlationId?: string | null;
  from?: string | null;
  to?: string | null;
};

function instant(value: string | null | undefined, field: string): Date | undefined {
  if (value == null) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`${field} must be an ISO 8601 instant.`, { field });
  return date;
}

/**
 * A page of the audit trail: operators read the whole trail, a tenant's API client with audit:read
 * its own tenant's (permissions: auditedTenant). An action ending in '.' is a prefix.
 */
export async function listAuditEvents(
  deps: Pick<IdentityDeps, 'audit'>,
  identity: Identity | null,
  args: { filter?: AuditEventFilter | null; first?: number | null; after?: string | null },
): Promise<{ events: AuditEvent[]; endCursor: string | null; hasNextPage: boolean }> {
  const who = requireIdentity(identity);
  if (!deps.audit) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The audit trail is disabled.');
  const f = args.filter ?? {};
  const tenantId = auditedTenant(who, f.tenantId ?? undefined) ?? undefined;
  const action = f.action ?? undefined;
  try {
    return await deps.audit.query(
      {
        ...(tenantId ? { tenantId } : {}),
        ...(f.subject ? { subject: f.subject } : {}),
        ...(action ? (action.endsWith('.') ? { actionPrefix: action } : { action }) : {}),
        ...(f.outcome ? { outcome: f.outcome } : {}),
        ...(f.correlationId ? { correlationId: f.correlationId } : {}),
        ...(f.from ? { from: instant(f.from, 'filter.from') } : {}),
        ...(f.to ? { to: instant(f.to, 'filter.to') } : {}),
      },
      { first: args.first ?? 50, after: args.after ?? null },
    );
  } catch (error) {
    if (isAuditError(error, 'INVALID_QUERY') || isAuditError(error, 'INVALID_CURSOR')) throw badInput(error.message, { field: isAuditError(error, 'INVALID_CURSOR') ? 'after' : 'filter' });
    if (isAuditError(error, 'UNAVAILABLE')) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The audit trail is unavailable.');
    throw error;
  }
}
