import type { Identity } from '@baas/auth';
import { unauthenticated } from '@baas/errors';
import { requireVisibleApplication } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';
import { requireClientId } from './kyc-deps';

export type GetKycApplicationDeps = { applications: { load(id: string): Promise<KycApplicationRow | null> } };

/** An application by id, for whoever may see it (its customer, its tenant's clients, operators, services); NOT_FOUND otherwise, whether or not it exists. */
export async function getKycApplication(deps: GetKycApplicationDeps, who: Identity | null, id: string): Promise<KycApplicationRow> {
  if (!who) throw unauthenticated();
  let key: string;
  try {
    key = requireClientId(id, 'id');
  } catch {
    return requireVisibleApplication<KycApplicationRow>(who, null);
  }
  return requireVisibleApplication(who, await deps.applications.load(key));
}
