import { requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { badInput, DomainError } from '@baas/errors';
import { legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { admitOutflow, type RiskPort, type StandingPort } from '@baas/policy';
import { waitArg } from '@baas/saga';
import { amountArg, isUuid } from '@baas/server';
import { accountStateRefusal } from '../domain/outflow';
import { mayMoveMoney } from '../permissions';
import { startSaga, type StartSagaDeps } from '../sagas/start-saga';
import type { AccountsSagaStore, SagaRow } from '../store/saga-store';
import type { AccountsSagaDeps } from '../sagas/saga-deps';
import { loadAccounts } from './load-accounts';

export type TransferMoneyDeps = StartSagaDeps & {
  sagas: Pick<AccountsSagaStore, 'exists'>;
  accounts: AccountsSagaDeps['accounts'];
  /** The policy path's step 0: identity's word on the paying customer and its tenant. */
  standing: StandingPort;
  /** Risk, asked at request time under the transfer's id (and again by the saga's RISK step). */
  risk: RiskPort;
};

/** What the request says about the client, for risk: its address (as the gateway vouched for it) and device fingerprint. */
export type OutflowClient = { ip?: string | null; deviceId?: string | null };

export type TransferInput = { id: string; fromAccountId: string; toAccountId: string; amount: string; description?: string | null };

/**
 * The `transfer` mutation: validates, creates the transfer saga and drives it (hold, limits, risk,
 * post: sagas/transfer-saga.ts). Input and authorisation problems throw (BAD_USER_INPUT, FORBIDDEN,
 * CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED, STEP_UP_REQUIRED, RISK_DECLINED from risk at request time); business refusals are saga outcomes
 * (FAILED or VOIDED with failureCode). A repeat returns the saga as it is now, continuing it when
 * unfinished and free; with `waitMs` (0..10,000) an unfinished saga is waited for until it is final
 * or the time is up.
 */
export async function transferMoney(deps: TransferMoneyDeps, identity: Identity | null, args: { input: TransferInput; waitMs?: number | null; client?: OutflowClient }): Promise<SagaRow> {
  const who = requireIdentity(identity);
  const { input } = args;
  const waitMs = waitArg(args.waitMs);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const amount = amountArg(input.amount, 'amount');
  const description = input.description ?? null;
  if (description !== null && description.length > 500) throw badInput('description is too long (500 characters at most).', { field: 'description' });
  const [from, to] = await loadAccounts(deps, who, [
    { id: input.fromAccountId, field: 'fromAccountId' },
    { id: input.toAccountId, field: 'toAccountId' },
  ]);
  if (from!.id === to!.id) throw badInput('The accounts must be different.', { field: 'toAccountId' });
  demand(mayMoveMoney(who, from!, to!));
  if (from!.currency !== to!.currency) throw new DomainError('CURRENCY_MISMATCH', 'Both accounts must be in the same currency.', { from: from!.currency, to: to!.currency });

  const id = input.id.toLowerCase();
  // Standing, step-up and risk (BLOCK: RISK_DECLINED; REVIEW: a passkey step-up whatever the amount),
  // the policy path at request time (limits, and risk again under the same id, run in the saga under
  // the hold). A repeat of a transfer already started needs none of it; look it up only then.
  try {
    await admitOutflow({ standing: deps.standing, risk: deps.risk }, who, {
      rail: 'TRANSFER',
      id,
      tenantId: from!.tenantId,
      customerId: from!.customerId,
      accountId: from!.id,
      payeeAccountId: to!.id,
      payerLedgerAccountId: from!.ledgerAccountId,
      payeeLedgerAccountId: to!.ledgerAccountId,
      amount,
      currency: from!.currency,
      createdAt: new Date(),
      ip: args.client?.ip ?? null,
      deviceId: args.client?.deviceId ?? null,
    });
  } catch (error) {
    if (!(await deps.sagas.exists(id))) throw error;
  }
  const failed = accountStateRefusal(from!, to!);
  if (!failed) {
    await deps.accounts.ensureLedgerAccount(from!);
    await deps.accounts.ensureLedgerAccount(to!);
  }
  const saga = {
    id,
    kind: 'TRANSFER' as const,
    tenantId: from!.tenantId,
    customerId: from!.customerId,
    fromAccountId: from!.id,
    toAccountId: to!.id,
    amount,
    currency: from!.currency,
    description,
    requestHash: requestFingerprint('transfer/v1', { from: from!.id, to: to!.id, amount, description }),
    legacyHash: legacyRequestHash({ kind: 'TRANSFER', from: from!.id, to: to!.id, amount: amount.toString(), description }),
    ...(failed ? { failed } : {}),
  };
  return startSaga(deps, who, saga, waitMs);
}
