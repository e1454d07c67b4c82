import type { ApiClient } from '../generated/prisma/client';
import type { Db } from './db';

export type ApiClientRow = ApiClient;

/** Every statement on identity.api_client. */
export function createApiClientStore(db: Db) {
  return {
    find: (id: string) => db.apiClient.findUnique({ where: { id } }),
    listOfTenant: (tenantId: string) => db.apiClient.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } }),
    insert: (data: Pick<ApiClientRow, 'id' | 'tenantId' | 'name' | 'scopes' | 'secretHash' | 'secretPrefix' | 'requestHash'>) => db.apiClient.create({ data }),
    update: (
      id: string,
      data: Partial<Pick<ApiClientRow, 'secretHash' | 'secretPrefix' | 'previousSecretHash' | 'previousSecretUntil' | 'rotatedAt' | 'status' | 'revokedAt'>>,
    ) => db.apiClient.update({ where: { id }, data }),
  };
}

export type ApiClientStore = ReturnType<typeof createApiClientStore>;
