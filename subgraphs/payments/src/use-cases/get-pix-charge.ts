import type { Identity } from '@baas/auth';
import { amountDueAt, locationChargeOf } from '../domain/pix-charges';
import { isValidTxid } from '../domain/pix-ids';
import { maySeePayments } from '../permissions';
import type { PixChargeRow, PixChargeStore } from '../store/pix-charge-store';

/** A charge by txid when the caller may see it (its customer, its tenant's clients, operators, services); else null (whether or not it exists). */
export async function getPixCharge(deps: { charges: Pick<PixChargeStore, 'findByTxid'> }, who: Identity, txid: string): Promise<PixChargeRow | null> {
  if (!isValidTxid(txid, 'COB')) return null;
  const row = await deps.charges.findByTxid(txid);
  return row && maySeePayments(who, row) ? row : null;
}

/** What a payer owes on the charge now (deps.now): a cobv's discount, fine and interest applied; its original amount once not ATIVA. */
export function chargeAmountDue(deps: { now?: () => Date }, row: PixChargeRow): bigint {
  if (row.status !== 'ATIVA') return row.amount;
  return amountDueAt(locationChargeOf(row), (deps.now ?? (() => new Date()))()).final;
}
