import { requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { maySeeApplication, seesEveryApplication } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';

export type GetKycApplicationDeps = { applications: { load(id: string): Promise<KycApplicationRow | null> } };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * An application by id, if the caller may see it (its customer, its tenant's clients, operators,
 * internal services): null when there is none for operators and services; FORBIDDEN for anyone else
 * whether or not it exists (ids cannot be probed: the platform's read rule, as cards and payments).
 * A malformed id is never read.
 */
export async function getKycApplication(deps: GetKycApplicationDeps, identity: Identity | null, id: string): Promise<KycApplicationRow | null> {
  const who = requireIdentity(identity);
  const app = typeof id === 'string' && ID.test(id) ? await deps.applications.load(id.toLowerCase()) : null;
  if (app && maySeeApplication(who, app)) return app;
  if (seesEveryApplication(who)) return null;
  throw forbidden();
}
