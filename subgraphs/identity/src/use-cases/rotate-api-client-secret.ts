import type { Identity } from '@baas/auth';
import { notFound } from '@baas/errors';
import { hashSecret, newSecret } from '../domain/secrets';
import { SECRET_ROTATION_OVERLAP_SECONDS } from '../domain/scopes';
import type { ApiClientRow } from '../store/api-client-store';
import type { IdentityDeps } from './deps';
import { findManagedClient } from './find-managed-client';

/** A new secret for a client the caller manages; the previous one keeps working for SECRET_ROTATION_OVERLAP_SECONDS. */
export async function rotateApiClientSecret(deps: Pick<IdentityDeps, 'stores' | 'loaders'>, identity: Identity | null, args: { id: string }): Promise<{ client: ApiClientRow; secret: string }> {
  const { id } = await findManagedClient(deps, identity, args.id);
  const current = await deps.stores.apiClients.find(id);
  if (!current || current.status !== 'ACTIVE') throw notFound('API client');
  const secret = newSecret('bsk');
  const client = await deps.stores.apiClients.update(id, {
    secretHash: hashSecret(secret),
    secretPrefix: secret.slice(0, 10),
    previousSecretHash: current.secretHash,
    previousSecretUntil: new Date(Date.now() + SECRET_ROTATION_OVERLAP_SECONDS * 1000),
    rotatedAt: new Date(),
  });
  return { client, secret };
}
