import type { Identity } from '@baas/auth';
import { createOrReplay } from '@baas/idempotency';
import { admitOutflow, type LimitsPort, type RiskPort, type StandingPort } from '@baas/policy';
import type { AccountsClient, PaymentAccount } from '../clients/accounts/client';
import { createPaymentOrder, transition, type PaymentOrderEffect, type PaymentRail } from '../domain/payment-order';
import { keyInScope, keyOutOfScope } from '../permissions';
import { orderOutflow, type OrderClient } from '../sagas/order-outflow';
import type { OrderProcessor } from '../sagas/order-processor';
import type { OrderRailData } from '../sagas/rail-submission';
import type { PaymentOrderRow, PaymentOrderStore } from '../store/payment-order-store';
import type { RailParty } from '../workers/rail-port';

export type { OrderClient };

/** What every rail's use case needs to create and drive orders. */
export type SubmitOrderDeps = {
  orders: Pick<PaymentOrderStore, 'findById' | 'insert'>;
  processor: Pick<OrderProcessor, 'drive' | 'driveInBackground' | 'wait'>;
  accounts: Pick<AccountsClient, 'account'>;
  standing: StandingPort;
  /** Read-only limit check at request time (the PIX limits); the processor reserves. */
  limitCheck: Pick<LimitsPort, 'check'>;
  risk: RiskPort;
  settings: { ispb: string; leaseMs: number; institutionName: string };
};

/** An order a use case has validated, before it is stored. */
export type OrderDraft = {
  id: string;
  rail: PaymentRail;
  kind: 'PAYMENT' | 'REFUND' | 'MED_RETURN';
  account: PaymentAccount;
  amount: bigint;
  feeAmount?: bigint;
  endToEndId: string;
  counterparty: Partial<RailParty>;
  counterpartyAccountId?: string | null;
  pixKey?: string | null;
  chargeTxid?: string | null;
  description?: string | null;
  scheduledFor?: Date | null;
  returnOfId?: string | null;
  railData?: OrderRailData;
  /** requestFingerprint of the normalised request (stored; a repeat with another one is IDEMPOTENCY_KEY_REUSED). */
  requestHash: string;
};

/** Our side of a payment as the rail names it: our ISPB, the account's branch and number. */
export function payerParty(deps: Pick<SubmitOrderDeps, 'settings'>, account: PaymentAccount): RailParty {
  return { name: deps.settings.institutionName, ispb: deps.settings.ispb, branch: account.branch, account: `${account.number}${account.checkDigit}`, accountType: 'TRAN', accountId: account.id };
}

/**
 * Creates an order (or replays the one stored under its id: @baas/idempotency's create-or-replay,
 * scoped to the caller's tenant and customer), then drives it and waits up to `waitMs` for a final
 * state; a new payment with no wait answers as soon as it is stored (driven in the background). A new PAYMENT passes the request-time policy path first (standing, step-up, risk: nothing is
 * written when it refuses); refunds and MED returns give money back and skip it. Limits and risk
 * run again in the order processor, under the order's id.
 */
export async function submitPaymentOrder(deps: SubmitOrderDeps, who: Identity, draft: OrderDraft, opts: { waitMs: number; client?: OrderClient }): Promise<PaymentOrderRow> {
  const now = new Date();
  const account = draft.account;
  const railData: OrderRailData = { ...draft.railData, ...(opts.client && (opts.client.ip || opts.client.deviceId) ? { client: opts.client } : {}) };
  const fields = {
    tenantId: account.tenantId,
    customerId: account.customerId,
    accountId: account.id,
    ledgerAccountId: account.ledgerAccountId,
    direction: 'OUT',
    kind: draft.kind,
    feeAmount: draft.feeAmount ?? 0n,
    endToEndId: draft.endToEndId,
    returnOfId: draft.returnOfId ?? null,
    counterparty: draft.counterparty as object,
    counterpartyAccountId: draft.counterpartyAccountId ?? null,
    pixKey: draft.pixKey ?? null,
    chargeTxid: draft.chargeTxid ?? null,
    description: draft.description ?? null,
    railData: railData as object,
    requestHash: draft.requestHash,
    nextAttemptAt: null,
  };
  const stored = await deps.orders.findById(draft.id);
  if (!stored && draft.kind === 'PAYMENT') {
    await admitOutflow({ standing: deps.standing, limits: deps.limitCheck, risk: deps.risk }, who, orderOutflow({ ...fields, id: draft.id, rail: draft.rail, amount: draft.amount, currency: account.currency, createdAt: now }));
  }
  const { row, status } = await createOrReplay<PaymentOrderRow>({
    hash: draft.requestHash,
    storedHash: (r) => r.requestHash,
    scope: (r) => keyInScope(who, r, account.tenantId),
    outOfScope: () => keyOutOfScope(who),
    find: async () => stored ?? (await deps.orders.findById(draft.id)),
    insert: async () => {
      const created = createPaymentOrder({ id: draft.id, rail: draft.rail, amount: draft.amount, currency: account.currency, at: now });
      let step = created;
      if (draft.scheduledFor) {
        const scheduled = transition(created.order, { type: 'SCHEDULE', at: draft.scheduledFor }, now);
        const effects: PaymentOrderEffect[] = [...created.effects, ...scheduled.effects];
        step = { order: scheduled.order, effects, changed: true };
      }
      return deps.orders.insert({ ...fields, id: draft.id }, step, deps.settings.leaseMs);
    },
  });
  // A new payment without waitMs answers once it is stored and admitted: the processor drives it in
  // the background (limits, hold, rail), and the client follows it (paymentOrder, events). With
  // waitMs, it is driven here and waited for.
  if (status === 'CREATED' && draft.kind === 'PAYMENT' && opts.waitMs <= 0) {
    deps.processor.driveInBackground(row.id, row);
    return row;
  }
  const driven = (await deps.processor.drive(row.id, status === 'CREATED' ? row : null)) ?? row;
  return deps.processor.wait(driven, opts.waitMs);
}
