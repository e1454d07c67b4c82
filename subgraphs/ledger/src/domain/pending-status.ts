import type { TransferRecord } from './types';

/**
 * Where a transfer's hold stands: null for a transfer that is not a hold, PENDING while nothing
 * resolved it, else what its POST, VOID or EXPIRE made of it.
 */
export function pendingStatusOf(t: Pick<TransferRecord, 'kind'>, resolution: Pick<TransferRecord, 'kind'> | undefined) {
  if (t.kind !== 'PENDING') return null;
  if (!resolution) return 'PENDING' as const;
  return ({ POST: 'POSTED', VOID: 'VOIDED', EXPIRE: 'EXPIRED' } as const)[resolution.kind as 'POST' | 'VOID' | 'EXPIRE'];
}
