import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { mayResolveMedCase } from '../permissions';
import type { MedCaseRow } from '../store/med-case-store';
import type { OrderDeps } from './pay-pix';
import { medReturnOrderId } from './report-pix-fraud';

/**
 * `resolveMedCase`: the analysis's outcome. Accepted: the blocked funds go back to the payer (the
 * MED return order is released to the SPI: the payer's payment records the return). Rejected: the
 * block is released (the return order is cancelled, its hold voided). Once only: resolving again
 * the same way answers the case; the other way is CONFLICT. Resolved by the receiving side, whose
 * funds are blocked: a platform operator, or (sandbox tenants only) the receiver's tenant client
 * with payments:write; never the reporter's tenant.
 */
export async function resolveMedCase(deps: OrderDeps, identity: Identity | null, input: { id: string; accept: boolean }): Promise<MedCaseRow> {
  const who = requireIdentity(identity);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const existing = await deps.medCases.findById(input.id.toLowerCase());
  if (!existing) throw forbidden();
  // The receiving side decides (its funds are blocked); the reporter's tenant never resolves its
  // own report, so no tenant moves another's money.
  const receiverTenantId = existing.receiverTenantId;
  const sandbox = !!receiverTenantId && deps.settings.sandbox && (await deps.tenantSandbox(receiverTenantId));
  if (!mayResolveMedCase(who, { tenantId: receiverTenantId }, sandbox)) throw forbidden();
  const status = input.accept ? 'ACCEPTED' : 'REJECTED';
  const resolved = (await deps.medCases.resolve(existing.id, status)) ?? (await deps.medCases.findById(existing.id))!;
  if (resolved.status !== status) throw new DomainError('CONFLICT', 'The case was resolved the other way.', { reason: 'MED_CASE_RESOLVED', status: resolved.status });
  // Finish the return order's side (idempotent: a repeat finds it moved).
  const order = await deps.orders.findById(medReturnOrderId(existing.id));
  if (order && order.state === 'PENDING') {
    if (input.accept) {
      const { awaitingMedCase: _released, ...railData } = (order.railData ?? {}) as Record<string, unknown>;
      const released = await deps.orders.releaseWith(order, railData as object);
      if (released) await deps.processor.drive(released.id);
    } else {
      await deps.processor.cancel(order);
    }
  }
  return resolved;
}
