import type { Identity } from '@baas/auth';
import { DomainError, notFound } from '@baas/errors';
import { isValidTxid } from '../domain/pix-ids';
import { maySeePayments, requireOperateAccount } from '../permissions';
import type { PixChargeRow, PixChargeStore } from '../store/pix-charge-store';

/**
 * Removes an unpaid charge (ATIVA → REMOVIDA_PELO_USUARIO_RECEBEDOR), by whoever may operate its
 * account. Repeating it answers the removed charge. NOT_FOUND when unknown or not visible to the
 * caller; FORBIDDEN when visible but not theirs to operate (operators); CONFLICT (reason
 * CHARGE_NOT_ACTIVE) when it was paid or removed by the PSP.
 */
export async function cancelPixCharge(deps: { charges: Pick<PixChargeStore, 'findByTxid' | 'remove'> }, who: Identity, txid: string): Promise<PixChargeRow> {
  const row = isValidTxid(txid, 'COB') ? await deps.charges.findByTxid(txid) : null;
  if (!row || !maySeePayments(who, row)) throw notFound('PIX charge');
  requireOperateAccount(who, row);
  if (row.status === 'REMOVIDA_PELO_USUARIO_RECEBEDOR') return row;
  const removed = await deps.charges.remove(txid, 'REMOVIDA_PELO_USUARIO_RECEBEDOR');
  if (removed.result === 'REMOVED') return removed.charge;
  if (removed.result === 'NOT_FOUND') throw notFound('PIX charge');
  if (removed.charge.status === 'REMOVIDA_PELO_USUARIO_RECEBEDOR') return removed.charge;
  throw new DomainError('CONFLICT', 'The charge was already paid or removed.', { reason: 'CHARGE_NOT_ACTIVE' });
}
