import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { PrismaClient } from '../generated/prisma/client';
import type { TransferSagaRow } from './types';

/**
 * `accountTransfer(id)`: a transfer saga the caller may see (operators and services all; an API
 * client its tenant's; a customer its own). Unknown ids look like forbidden ones (missingRecord).
 */
export async function getAccountTransfer(db: PrismaClient, identity: Identity | null, id: string): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  const row = isUuid(id) ? await db.transferSaga.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!row) throw missingRecord(who, 'AccountTransfer');
  const visible =
    who.kind === 'operator' ||
    who.kind === 'service' ||
    (who.kind === 'api_client' && who.tenantId === row.tenantId) ||
    (who.kind === 'customer' && who.tenantId === row.tenantId && who.subject === row.customerId);
  if (!visible) throw forbidden();
  return row;
}
