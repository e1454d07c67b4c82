import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isCurrencyCode } from '@baas/money';
import { clientChosenId, isUuid } from '@baas/server';
import type { LedgerClient } from '../clients/ledger/client';
import type { IdentityDirectory } from '../clients/identity';
import type { KycClient } from '../clients/kyc/client';
import type { AccountsConfig } from '../config';
import { nextAccountNumber } from '../domain/account-number';
import { assertKycLevel, kycRequired } from '../domain/kyc-gate';
import { accountOpener } from '../permissions';
import type { AccountRow, AccountStore } from '../store/account-store';
import type { TenantSettingsStore } from '../store/tenant-settings-store';
import { ensureLedgerAccount } from './ensure-ledger-account';

const ACCOUNT_NUMBER_WIDTH = 8;

export type OpenAccountDeps = {
  accounts: AccountStore;
  tenantSettings: Pick<TenantSettingsStore, 'find'>;
  ledger: Pick<LedgerClient, 'createAccounts'>;
  directory: Pick<IdentityDirectory, 'requireActiveCustomer'>;
  /** Asked only when the tenant requires a KYC level (requireKycLevel > 0). */
  kyc: Pick<KycClient, 'customerLevel'>;
  config: Pick<AccountsConfig, 'BRANCH'>;
};

/**
 * Opens an account: validates who may open it and in which currency, allocates branch + number +
 * mod-11 check digit, and opens its ledger account (same id; customers' accounts may not go below
 * zero). The account id is the idempotency key: a repeat returns the account (REPLAYED), a repeat
 * with different content is IDEMPOTENCY_KEY_REUSED. A ledger that is down leaves the account row
 * without ledger account; the next repeat (or the first use) finishes the opening.
 *
 * Whose account: the owner is never taken on trust. Identity must confirm (customerStanding) that
 * the customer exists, is ACTIVE and belongs to the caller's tenant, and that the tenant is ACTIVE;
 * otherwise NOT_FOUND (the same answer whichever it was) and nothing is written. Identity down:
 * SUBGRAPH_UNAVAILABLE, nothing written. The id may not be in the platform's id space (version 5
 * UUIDs: platform ledger accounts are derived there), so no client can claim a platform account.
 *
 * KYC: when the tenant requires a level (tenant_settings.require_kyc_level > 0), a new account opens
 * only for a customer whom kyc reports at that level or above; below it FORBIDDEN (reason
 * KYC_REQUIRED), kyc unreachable SUBGRAPH_UNAVAILABLE (fail closed); nothing written either way. The
 * gate is part of creating: a repeat of an account already opened replays it as it is.
 */
export async function openAccount(
  deps: OpenAccountDeps,
  identity: Identity | null,
  input: { id: string; customerId?: string | null; currency: string },
): Promise<{ account: AccountRow; status: 'CREATED' | 'REPLAYED' }> {
  const who = requireIdentity(identity);
  const opener = accountOpener(who);
  const id = clientChosenId(input.id);
  let customerId: string;
  if (opener === 'SELF') {
    if (input.customerId && input.customerId.toLowerCase() !== who.subject) throw forbidden();
    customerId = who.subject;
  } else {
    if (!input.customerId) throw badInput('customerId is required.', { field: 'customerId' });
    // A malformed id is as unknown as an absent one.
    if (!isUuid(input.customerId)) throw new DomainError('NOT_FOUND', 'Customer not found.');
    customerId = input.customerId.toLowerCase();
  }
  const tenantId = who.tenantId;
  if (!tenantId) throw badInput('Accounts belong to a tenant: open them as the tenant or its customer.', { field: 'customerId' });
  const currency = input.currency.toUpperCase();
  if (!isCurrencyCode(currency)) throw badInput('currency must be an ISO 4217 code.', { field: 'currency' });
  await deps.directory.requireActiveCustomer(tenantId, customerId);
  const settings = await deps.tenantSettings.find(tenantId);
  const allowed = settings.currencies;
  if (!allowed.includes(currency)) throw new DomainError('CURRENCY_MISMATCH', `The tenant does not offer ${currency} accounts.`, { field: 'currency', allowed });

  const hash = requestFingerprint('account/v1', { tenantId, customerId, currency });
  const { row, status } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash({ tenantId, customerId, currency })],
    storedHash: (row) => row.requestHash,
    scope: (row) => row.tenantId === tenantId,
    outOfScope: () => forbidden(),
    find: () => deps.accounts.findById(id),
    insert: async () => {
      if (kycRequired(settings.requireKycLevel)) assertKycLevel(settings.requireKycLevel, await deps.kyc.customerLevel(tenantId, customerId));
      return deps.accounts.insert({ id, tenantId, customerId, currency, branch: deps.config.BRANCH, requestHash: hash, numberFor: (counter) => nextAccountNumber(counter, ACCOUNT_NUMBER_WIDTH) });
    },
  });
  const account: AccountRow = row.ledgerAccountId ? row : await ensureLedgerAccount(deps, row);
  return { account, status };
}
