import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { isUuid } from '@baas/server';
import { maySeeCustomer } from '../permissions';
import type { CustomerRow } from '../store/customer-store';
import type { IdentityDeps } from './deps';

/** A customer the caller may read; FORBIDDEN otherwise (also for ids that do not exist, so ids cannot be probed). */
export async function getCustomer(deps: Pick<IdentityDeps, 'loaders'>, identity: Identity | null, id: string): Promise<CustomerRow> {
  const who = requireIdentity(identity);
  const row = isUuid(id) ? await deps.loaders.customer.load(id) : null;
  if (!row) throw missingRecord(who, 'Customer');
  demand(maySeeCustomer(who, row));
  return row;
}
