import { DomainError, notFound } from '@baas/errors';
import { isUuid } from '@baas/server';
import { chargePayable, chargeRefusalError, locationChargeOf, parsePayloadAmount } from '../domain/pix-charges';
import { isValidTxid } from '../domain/pix-ids';
import type { PixChargeRow, PixChargeStore } from '../store/pix-charge-store';
import { signCharge, verifyChargeJws, type ChargeSigner } from '../workers/charge-signer';

export type FindChargeToPayDeps = {
  charges: Pick<PixChargeStore, 'findByTxid' | 'findByLocationId'>;
  signer: Pick<ChargeSigner, 'sign' | 'jwks'>;
  locationBaseUrl: string;
};

/** A charge a payer is about to pay: what its location serves now, verified. */
export type ChargeToPay = { charge: PixChargeRow; amountDue: bigint; receiverAccountId: string; receiverKey: string };

const withoutScheme = (url: string) => url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');

/**
 * The location id when `location` (a dynamic BR Code's URL, with or without its scheme) is one of
 * ours (it starts with PIX_LOCATION_BASE_URL, schemes ignored); else null.
 */
export function ourLocationId(locationBaseUrl: string, location: string): string | null {
  const base = `${withoutScheme(locationBaseUrl)}/`;
  const url = withoutScheme(location);
  if (!url.toLowerCase().startsWith(base.toLowerCase())) return null;
  const id = url.slice(base.length);
  return isUuid(id) ? id.toLowerCase() : null;
}

/**
 * The charge a payer pays, by txid or by one of our locations, read as its location serves it:
 * the charge's payload is signed and verified with our JWKS (in process), and the amount due, key
 * and txid come from the verified payload, so the payer reads exactly what the location serves.
 * Refusals: NOT_FOUND (unknown txid or location; details.reason FOREIGN_LOCATION for a location
 * that is not ours: read those with workers/charge-signer's fetchVerifiedCharge, over HTTP), CONFLICT
 * with reason CHARGE_NOT_ACTIVE (paid or removed) or CHARGE_EXPIRED.
 */
export async function findChargeToPay(deps: FindChargeToPayDeps, ref: { txid?: string; location?: string }, at: Date): Promise<ChargeToPay> {
  let charge: PixChargeRow | null = null;
  if (ref.location !== undefined) {
    const locationId = ourLocationId(deps.locationBaseUrl, ref.location);
    if (!locationId) throw new DomainError('NOT_FOUND', 'PIX charge not found.', { reason: 'FOREIGN_LOCATION' });
    charge = await deps.charges.findByLocationId(locationId);
    if (charge && ref.txid !== undefined && charge.txid !== ref.txid) charge = null;
  } else if (ref.txid !== undefined && isValidTxid(ref.txid, 'COB')) {
    charge = await deps.charges.findByTxid(ref.txid);
  }
  if (!charge) throw notFound('PIX charge');

  const payload = await verifyChargeJws(await signCharge(deps.signer, charge, at), deps.signer.jwks());
  const valor = (payload.valor ?? {}) as Record<string, unknown>;
  const served = parsePayloadAmount(valor.final ?? valor.original);
  if (payload.txid !== charge.txid || typeof payload.chave !== 'string' || served === null) throw new Error('The charge location served an unexpected payload');
  if (payload.status !== 'ATIVA') throw chargeRefusalError('CHARGE_NOT_ACTIVE');

  const payable = chargePayable(locationChargeOf(charge), at);
  if (!payable.ok) throw chargeRefusalError(payable.code);
  if (payable.amountDue !== served) throw new Error('The charge location served another amount than its terms');
  return { charge, amountDue: served, receiverAccountId: charge.accountId, receiverKey: payload.chave };
}
