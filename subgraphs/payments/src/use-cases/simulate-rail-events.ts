import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { amountArg, isUuid } from '@baas/server';
import { parseAnyPixKey } from '../domain/pix-keys';
import { maySimulate } from '../permissions';
import type { PaymentOrderRow } from '../store/payment-order-store';
import type { OrderDeps } from './pay-pix';
import { incomingOrderId } from './receive-rail-event';

/** A sandbox payer at another institution. */
const SANDBOX_PAYER_ISPB = '12345678';

async function requireSandbox(deps: OrderDeps, who: Identity, tenantId: string): Promise<void> {
  const sandbox = deps.settings.sandbox && (await deps.tenantSandbox(tenantId));
  if (!maySimulate(who, tenantId, sandbox)) throw forbidden();
}

/** Polls until `found` answers (the rail's event reached us), at most `ms`. */
async function until<T>(ms: number, found: () => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const v = await found();
    if (v || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * Sandbox: a PIX from another institution to one of the tenant's accounts (by account or key). The
 * sandbox bank originates it; it reaches us as any incoming payment does (credited, recorded).
 * Answers the received order once it arrived (SERVICE_UNAVAILABLE if the rail did not deliver it in 10 s).
 */
export async function simulateIncomingPix(deps: OrderDeps, identity: Identity | null, input: { accountId?: string | null; key?: string | null; amount: string; payerName?: string | null; description?: string | null }): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  const amount = amountArg(input.amount, 'amount');
  if (!!input.accountId === !!input.key) throw badInput('Give either accountId or key.', { field: 'accountId' });
  const key = input.key ? parseAnyPixKey(input.key, 'key').value : null;
  const accountId = input.accountId ? (isUuid(input.accountId) ? input.accountId.toLowerCase() : null) : await deps.accountOfKey(key!);
  const account = accountId ? await deps.accounts.account(accountId) : null;
  if (!account) throw new DomainError('NOT_FOUND', 'No such account or key.', { field: input.key ? 'key' : 'accountId' });
  await requireSandbox(deps, who, account.tenantId);
  const sent = await deps.rail.simulateIncoming({
    rail: 'PIX',
    amount: amount.toString(),
    currency: account.currency,
    payer: { name: (input.payerName?.trim() || 'Sandbox payer').slice(0, 140), ispb: SANDBOX_PAYER_ISPB, branch: '0001', account: '123456' },
    payee: { name: 'BaaS customer', ispb: deps.settings.ispb, accountId: account.id, ...(key ? { pixKey: key } : {}) },
    ...(input.description ? { remittance: input.description.slice(0, 140) } : {}),
  });
  if (!sent.accepted || !sent.endToEndId) throw new DomainError('SERVICE_UNAVAILABLE', 'The sandbox bank did not take the payment.', { reason: sent.reason ?? 'RAIL_UNAVAILABLE' });
  const order = await until(10_000, () => deps.orders.findById(incomingOrderId(sent.endToEndId!)));
  if (!order) throw new DomainError('SERVICE_UNAVAILABLE', 'The incoming payment has not arrived yet.', { endToEndId: sent.endToEndId });
  return order;
}

/** Sandbox: the receiving institution returns a payment it settled (all, or `amount`); answers the order once the return is recorded. */
export async function simulateRailReturn(deps: OrderDeps, identity: Identity | null, input: { orderId: string; amount?: string | null; reason?: string | null }): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  if (!isUuid(input.orderId)) throw badInput('orderId must be a UUID.', { field: 'orderId' });
  const row = await deps.orders.findById(input.orderId.toLowerCase());
  if (!row) throw forbidden();
  await requireSandbox(deps, who, row.tenantId);
  if (row.direction !== 'OUT' || row.kind !== 'PAYMENT' || !row.endToEndId) throw badInput('Only a payment sent can be returned.', { field: 'orderId' });
  // On-us, the receiving institution is this one: its customer gives money back with refundPix
  // (debiting the receiver); a rail return would credit the payer while the payee kept the money.
  if (await deps.orders.findByEndToEndId(row.endToEndId, 'IN')) throw new DomainError('CONFLICT', 'The payee is at this institution: it returns the money with refundPix.', { reason: 'ON_US_USE_REFUND' });
  const amount = input.amount ? amountArg(input.amount, 'amount') : undefined;
  const answer = await deps.rail.simulateReturn({ endToEndId: row.endToEndId, ...(amount ? { amount: amount.toString() } : {}), ...(input.reason ? { reason: input.reason } : {}) });
  if (!answer.accepted) throw new DomainError('CONFLICT', 'The sandbox bank refused the return.', { reason: answer.reason ?? 'NOT_RETURNABLE' });
  return (await until(10_000, async () => {
    const now = await deps.orders.findById(row.id);
    return now && now.returnedAmount > row.returnedAmount ? now : null;
  })) ?? row;
}
