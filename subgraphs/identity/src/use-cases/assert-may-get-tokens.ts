import { DomainError } from '@baas/errors';
import { checkTenant } from '../domain/tenant-rules';
import { isCustomerSession } from '../permissions';
import type { SessionRow } from '../store/session-store';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';

/**
 * May this session's principal get new tokens? Its tenant must be ACTIVE (TENANT_SUSPENDED) and a
 * customer must be ACTIVE in that tenant (UNAUTHENTICATED, reason CUSTOMER_INACTIVE: a suspended or
 * closed customer's sessions stop at their next refresh). Checked before a refresh token is spent,
 * and again as the last wall before any access token is signed. Returns the tenant (null for none).
 */
export async function assertMayGetTokens(deps: Pick<IdentityDeps, 'loaders'>, session: Pick<SessionRow, 'tenantId' | 'kind' | 'subject'>): Promise<TenantRow | null> {
  const tenant = session.tenantId ? checkTenant(await deps.loaders.tenant.load(session.tenantId), { active: true }) : null;
  if (isCustomerSession(session)) {
    const customer = await deps.loaders.customer.load(session.subject);
    if (!customer || customer.status !== 'ACTIVE' || customer.tenantId !== session.tenantId) {
      throw new DomainError('UNAUTHENTICATED', 'The customer is not active.', { reason: 'CUSTOMER_INACTIVE' });
    }
  }
  return tenant;
}
