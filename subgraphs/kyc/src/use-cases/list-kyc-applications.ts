import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { APPLICATION_STATES, type ApplicationState } from '../domain/application-states';
import { applicationListScope } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';
import type { KycDeps } from './kyc-deps';

export type ListKycApplicationsInput = { customerId?: string | null; tenantId?: string | null; state?: string | null; first?: number | null };

/**
 * Applications, newest first (`first` 1-100, default 20): a customer's own; a tenant's client its
 * tenant's (optionally one customer); operators and services any tenant. Naming another tenant or
 * customer than one's own is FORBIDDEN.
 */
export async function listKycApplications(deps: Pick<KycDeps, 'applications'>, who: Identity, input: ListKycApplicationsInput): Promise<KycApplicationRow[]> {
  const first = input.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first is 1 to 100.', { field: 'first', reason: 'OUT_OF_RANGE' });
  const state = input.state ?? null;
  if (state !== null && !(APPLICATION_STATES as readonly string[]).includes(state)) throw badInput('state is not a KYC application state.', { field: 'state', reason: 'UNKNOWN_STATE' });
  const scope = applicationListScope(who, input.customerId, input.tenantId);
  return deps.applications.list({ ...scope, state: state as ApplicationState | null }, first);
}
