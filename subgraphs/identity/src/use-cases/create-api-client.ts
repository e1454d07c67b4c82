import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import { hashSecret, newSecret } from '../domain/secrets';
import { API_CLIENT_SCOPES } from '../domain/scopes';
import { assertManagesClient } from '../permissions';
import type { ApiClientRow } from '../store/api-client-store';
import type { IdentityDeps } from './deps';
import { requireAdministeredTenant } from './require-administered-tenant';

/**
 * Creates an API client of a tenant, idempotently by id (permissions: clientGrantRefusal, a client
 * grants only scopes it holds). The secret is returned only when created: a replay returns the
 * client without it (it is not stored), and a reused id with another request fails.
 */
export async function createApiClient(
  deps: Pick<IdentityDeps, 'stores' | 'loaders'>,
  identity: Identity | null,
  input: { id: string; tenantId?: string | null; name: string; scopes: string[] },
): Promise<{ client: ApiClientRow; secret: string | null; status: 'CREATED' | 'REPLAYED' }> {
  const who = requireIdentity(identity);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const tenantId = await requireAdministeredTenant(deps, who, input.tenantId);
  assertManagesClient(who, { tenantId, scopes: input.scopes });
  const id = input.id.toLowerCase();
  const unknown = input.scopes.filter((s) => !(API_CLIENT_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new DomainError('BAD_USER_INPUT', `Unknown scopes: ${unknown.join(', ')}.`, { field: 'scopes' });
  if (!input.name.trim() || input.name.length > 100) throw new DomainError('BAD_USER_INPUT', 'name must be 1 to 100 characters.', { field: 'name' });
  const scopes = [...input.scopes].sort();
  const hash = requestFingerprint('api-client/v1', { tenantId, name: input.name, scopes });
  const secret = newSecret('bsk');
  const { row, status } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash([tenantId, input.name, scopes])],
    storedHash: (row: ApiClientRow) => row.requestHash,
    scope: (row) => row.tenantId === tenantId,
    find: () => deps.stores.apiClients.find(id),
    insert: () =>
      deps.stores.apiClients.insert({ id, tenantId, name: input.name, scopes: input.scopes, secretHash: hashSecret(secret), secretPrefix: secret.slice(0, 10), requestHash: hash }),
  });
  // The secret is not stored: a replay returns the client without it.
  return { client: row, secret: status === 'CREATED' ? secret : null, status };
}
