import type { Identity } from '@baas/auth';
import { notFound } from '@baas/errors';
import type { ApiClientRow } from '../store/api-client-store';
import type { IdentityDeps } from './deps';
import { findManagedClient } from './find-managed-client';

/** Revokes a client the caller manages (its secrets stop working at once); a repeat is harmless. */
export async function revokeApiClient(deps: Pick<IdentityDeps, 'stores' | 'loaders'>, identity: Identity | null, args: { id: string }): Promise<ApiClientRow> {
  const { id } = await findManagedClient(deps, identity, args.id);
  const current = await deps.stores.apiClients.find(id);
  if (!current) throw notFound('API client');
  if (current.status === 'REVOKED') return current;
  return deps.stores.apiClients.update(id, { status: 'REVOKED', revokedAt: new Date(), previousSecretHash: null, previousSecretUntil: null });
}
