import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { isUuid } from '@baas/server';
import { maySeeMoneyMovement } from '../permissions';
import type { AccountsSagaStore, SagaRow } from '../store/saga-store';

/**
 * `accountTransfer(id)`: a transfer saga the caller may see (operators and services all; an API
 * client its tenant's; a customer its own). Unknown ids look like forbidden ones (missingRecord).
 */
export async function getAccountTransfer(deps: { sagas: Pick<AccountsSagaStore, 'find'> }, identity: Identity | null, args: { id: string }): Promise<SagaRow> {
  const who = requireIdentity(identity);
  const row = isUuid(args.id) ? await deps.sagas.find(args.id.toLowerCase()) : null;
  if (!row) throw missingRecord(who, 'AccountTransfer');
  demand(maySeeMoneyMovement(who, row));
  return row;
}
