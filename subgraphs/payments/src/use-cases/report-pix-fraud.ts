import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { derivedUuid, isUuid } from '@baas/server';
import { keyInScope, keyOutOfScope, mayOperateAccount } from '../permissions';
import type { MedCaseRow } from '../store/med-case-store';
import type { OrderDeps } from './pay-pix';
import { returnDraft, returnsSoFar } from './refund-pix';
import { submitPaymentOrder } from './submit-payment-order';

/** The platform acting for itself (a MED return is not the receiver's request). */
const PLATFORM: Identity = { subject: 'payments', kind: 'service', tenantId: null, scopes: [] };

/** The id of a MED case's return order (derived: the case names it without a column). */
export const medReturnOrderId = (caseId: string): string => derivedUuid(`payments:med-return:${caseId}`);

/**
 * `reportPixFraud` (MED, Mecanismo Especial de Devolução): the payer reports a PIX it sent as a
 * fraud. The receiver's institution (us, for an on-us payment) blocks what is left of the funds at
 * once (a precautionary block: the MED return order holds them in the ledger and waits) until the
 * case is resolved: accepted returns them to the payer, rejected releases the block. The case
 * belongs to the reporter; the receiving side sees it too and resolves it. Idempotent by `id`.
 */
export async function reportPixFraud(deps: OrderDeps, identity: Identity | null, input: { id: string; orderId: string; reason: string }): Promise<MedCaseRow> {
  const who = requireIdentity(identity);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  if (!isUuid(input.orderId)) throw badInput('orderId must be a UUID.', { field: 'orderId' });
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 140) throw badInput('reason is 1 to 140 characters.', { field: 'reason' });
  const id = input.id.toLowerCase();
  const sent = await deps.orders.findById(input.orderId.toLowerCase());
  if (!sent || !mayOperateAccount(who, sent)) throw forbidden();
  const existing = await deps.medCases.findById(id);
  if (existing) {
    if (!keyInScope(who, existing, sent.tenantId)) throw keyOutOfScope(who);
    if (existing.orderId !== sent.id) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    return existing;
  }
  if (sent.direction !== 'OUT' || sent.rail !== 'PIX' || sent.kind !== 'PAYMENT') throw badInput('Only a PIX sent can be reported.', { field: 'orderId', reason: 'NOT_A_PIX_SENT' });
  if (sent.state !== 'SETTLED' && sent.state !== 'PARTIALLY_RETURNED') throw new DomainError('CONFLICT', 'Only a settled PIX can be reported.', { reason: 'NOT_SETTLED' });
  const received = sent.endToEndId ? await deps.orders.findByEndToEndId(sent.endToEndId, 'IN') : null;
  if (!received) throw new DomainError('CONFLICT', 'The receiving institution handles this report.', { reason: 'MED_NOT_ON_US' });
  const left = received.amount - (await returnsSoFar(deps, received)).reduce((a, b) => a + b, 0n);
  if (left <= 0n) throw new DomainError('CONFLICT', 'Nothing is left to return.', { reason: 'NOTHING_TO_RETURN' });
  const receiverAccount = await deps.accounts.account(received.accountId);
  if (!receiverAccount) throw new DomainError('CONFLICT', 'The receiving account is gone.', { reason: 'MED_NOT_ON_US' });
  const returnOrder = await submitPaymentOrder(
    deps,
    PLATFORM,
    returnDraft(deps, received, {
      id: medReturnOrderId(id),
      kind: 'MED_RETURN',
      account: receiverAccount,
      amount: left,
      reason: 'FR01',
      requestHash: requestFingerprint('med-return/v1', { case: id }),
      railData: { awaitingMedCase: id },
    }),
    { waitMs: 0 },
  );
  const blocked = returnOrder.state === 'PENDING' ? left : 0n;
  const row = await deps.medCases.insert({
    id, orderId: sent.id, tenantId: sent.tenantId, customerId: sent.customerId,
    receiverTenantId: received.tenantId, receiverCustomerId: received.customerId, receiverAccountId: received.accountId,
    blockedAmount: blocked, currency: sent.currency, reason,
  });
  return row ?? (await deps.medCases.findById(id))!;
}
