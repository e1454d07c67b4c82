import { DomainError, notFound, unauthenticated } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import type { PrismaClient } from '../generated/prisma/client';
import { hashSecret, newSecret, secretMatches } from './secrets';

export type ApiClientRow = Awaited<ReturnType<PrismaClient['apiClient']['findUniqueOrThrow']>>;

/** Scopes an API client may hold; access is still limited to its own tenant. */
export const API_CLIENT_SCOPES = ['customers:read', 'customers:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:write', 'clients:write', 'tenant:write', 'audit:read', 'sandbox:fund'] as const;

/** How long a rotated-out secret keeps working, so a deployment can roll without downtime. */
export const SECRET_ROTATION_OVERLAP_SECONDS = 3600;

/**
 * Creates an API client, idempotently by id. The secret is returned only when created: a replay
 * returns the client without it (it is not stored), and a reused id with another request fails.
 */
export async function createApiClient(
  db: PrismaClient,
  input: { id: string; tenantId: string; name: string; scopes: string[] },
): Promise<{ client: ApiClientRow; secret: string | null; status: 'CREATED' | 'REPLAYED' }> {
  const unknown = input.scopes.filter((s) => !(API_CLIENT_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new DomainError('BAD_USER_INPUT', `Unknown scopes: ${unknown.join(', ')}.`, { field: 'scopes' });
  if (!input.name.trim() || input.name.length > 100) throw new DomainError('BAD_USER_INPUT', 'name must be 1 to 100 characters.', { field: 'name' });
  const scopes = [...input.scopes].sort();
  const hash = requestFingerprint('api-client/v1', { tenantId: input.tenantId, name: input.name, scopes });
  const secret = newSecret('bsk');
  const { row, status } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash([input.tenantId, input.name, scopes])],
    storedHash: (row: ApiClientRow) => row.requestHash,
    scope: (row) => row.tenantId === input.tenantId,
    find: () => db.apiClient.findUnique({ where: { id: input.id } }),
    insert: () =>
      db.apiClient.create({
        data: { id: input.id, tenantId: input.tenantId, name: input.name, scopes: input.scopes, secretHash: hashSecret(secret), secretPrefix: secret.slice(0, 10), requestHash: hash },
      }),
  });
  // The secret is not stored: a replay returns the client without it.
  return { client: row, secret: status === 'CREATED' ? secret : null, status };
}

/** A new secret; the previous one keeps working for SECRET_ROTATION_OVERLAP_SECONDS. */
export async function rotateApiClientSecret(db: PrismaClient, id: string): Promise<{ client: ApiClientRow; secret: string }> {
  const current = await db.apiClient.findUnique({ where: { id } });
  if (!current || current.status !== 'ACTIVE') throw notFound('API client');
  const secret = newSecret('bsk');
  const client = await db.apiClient.update({
    where: { id },
    data: {
      secretHash: hashSecret(secret),
      secretPrefix: secret.slice(0, 10),
      previousSecretHash: current.secretHash,
      previousSecretUntil: new Date(Date.now() + SECRET_ROTATION_OVERLAP_SECONDS * 1000),
      rotatedAt: new Date(),
    },
  });
  return { client, secret };
}

export async function revokeApiClient(db: PrismaClient, id: string): Promise<ApiClientRow> {
  const current = await db.apiClient.findUnique({ where: { id } });
  if (!current) throw notFound('API client');
  if (current.status === 'REVOKED') return current;
  return db.apiClient.update({ where: { id }, data: { status: 'REVOKED', revokedAt: new Date(), previousSecretHash: null, previousSecretUntil: null } });
}

/**
 * The client for a client_id and secret, or UNAUTHENTICATED — the same answer whether the id is
 * unknown, the secret wrong or the client revoked, so nothing can be probed.
 */
export async function authenticateApiClient(db: PrismaClient, clientId: string, secret: string): Promise<ApiClientRow> {
  const client = /^[0-9a-f-]{36}$/i.test(clientId) ? await db.apiClient.findUnique({ where: { id: clientId.toLowerCase() } }) : null;
  const current = secretMatches(secret, client?.secretHash ?? '0'.repeat(64));
  const previous = !!client?.previousSecretUntil && client.previousSecretUntil > new Date() && secretMatches(secret, client.previousSecretHash);
  if (!client || client.status !== 'ACTIVE' || !(current || previous)) throw unauthenticated('Invalid client credentials.');
  return client;
}
