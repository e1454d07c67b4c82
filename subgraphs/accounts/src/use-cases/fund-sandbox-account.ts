import { requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { badInput } from '@baas/errors';
import { legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { amountArg, isUuid } from '@baas/server';
import { assertPlayMoneyDeployment, assertSandboxTenant, type SandboxStanding } from '../domain/sandbox';
import { mayFundSandbox } from '../permissions';
import { startSaga, type StartSagaDeps } from '../sagas/start-saga';
import type { AccountsSagaDeps } from '../sagas/saga-deps';
import type { SagaRow } from '../store/saga-store';
import { loadAccounts } from './load-accounts';

export type FundSandboxAccountDeps = StartSagaDeps & {
  accounts: AccountsSagaDeps['accounts'];
  directory: { customerStanding(tenantId: string, customerId: string): Promise<SandboxStanding | null> };
  config: { SANDBOX: boolean };
};

export type FundInput = { id: string; accountId: string; amount: string };

/**
 * `fundSandboxAccount`: play money into an account, as a FUNDING saga (sagas/funding-saga.ts). Only
 * on a deployment allowing play money and for an ACTIVE sandbox tenant (as identity says now);
 * operators, or the account's tenant's client with sandbox:fund. A CLOSED account is refused as a
 * FAILED saga (ACCOUNT_CLOSED), so repeats agree.
 */
export async function fundSandboxAccount(deps: FundSandboxAccountDeps, identity: Identity | null, input: FundInput): Promise<SagaRow> {
  const who = requireIdentity(identity);
  assertPlayMoneyDeployment(deps.config);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const amount = amountArg(input.amount, 'amount');
  const [account] = await loadAccounts(deps, who, [{ id: input.accountId, field: 'accountId' }]);
  demand(mayFundSandbox(who, account!));
  await assertSandboxTenant(deps, account!);
  const failed = account!.status === 'CLOSED' ? 'ACCOUNT_CLOSED' : undefined;
  if (!failed) await deps.accounts.ensureLedgerAccount(account!);
  return startSaga(deps, who, {
    id: input.id.toLowerCase(),
    kind: 'FUNDING',
    tenantId: account!.tenantId,
    customerId: account!.customerId,
    fromAccountId: null,
    toAccountId: account!.id,
    amount,
    currency: account!.currency,
    description: 'Sandbox funding',
    requestHash: requestFingerprint('funding/v1', { to: account!.id, amount }),
    legacyHash: legacyRequestHash({ kind: 'FUNDING', to: account!.id, amount: amount.toString() }),
    ...(failed ? { failed } : {}),
  });
}
