import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isCurrencyCode } from '@baas/money';
import { clientChosenId, isUuid } from '@baas/server';
import { nextAccountNumber } from '../domain/index';
import { LEDGER_CODES, LedgerRefusedError, LedgerUnavailableError, type LedgerClient } from '../clients/ledger/client';
import type { IdentityDirectory } from '../clients/identity';
import type { AccountsConfig } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import type { AccountRow, AccountsLoaders } from './accounts';

const ACCOUNT_NUMBER_WIDTH = 8;


/** The tenant's allowed currencies (its settings, else DEFAULT_CURRENCIES). */
export async function tenantCurrencies(db: PrismaClient, config: AccountsConfig, tenantId: string): Promise<string[]> {
  const settings = await db.tenantSettings.findUnique({ where: { tenantId } });
  return settings?.currencies ?? config.DEFAULT_CURRENCIES.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
}

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
 */
export async function openAccount(
  deps: { db: PrismaClient; ledger: LedgerClient; directory: IdentityDirectory; config: AccountsConfig },
  identity: Identity | null,
  input: { id: string; customerId?: string | null; currency: string },
): Promise<{ account: AccountRow; status: 'CREATED' | 'REPLAYED' }> {
  const who = requireIdentity(identity);
  if (who.kind !== 'customer' && who.kind !== 'api_client') throw forbidden();
  if (who.kind === 'api_client' && !who.scopes.includes('accounts:write')) throw forbidden();
  const id = clientChosenId(input.id);
  let customerId: string;
  if (who.kind === 'customer') {
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
  const allowed = await tenantCurrencies(deps.db, deps.config, tenantId);
  if (!allowed.includes(currency)) throw new DomainError('CURRENCY_MISMATCH', `The tenant does not offer ${currency} accounts.`, { field: 'currency', allowed });

  const hash = requestFingerprint('account/v1', { tenantId, customerId, currency });
  const branch = deps.config.BRANCH;
  const { row, status } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash({ tenantId, customerId, currency })],
    storedHash: (row) => row.requestHash,
    scope: (row) => row.tenantId === tenantId,
    outOfScope: () => forbidden(),
    find: () => deps.db.account.findUnique({ where: { id } }),
    insert: () =>
      deps.db.$transaction(async (tx) => {
        const [counter] = await tx.$queryRaw<{ next: bigint }[]>`
          INSERT INTO accounts.account_number_counter (branch, next) VALUES (${branch}, 2)
          ON CONFLICT (branch) DO UPDATE SET next = accounts.account_number_counter.next + 1
          RETURNING next - 1 AS next`;
        const { number, checkDigit } = nextAccountNumber(counter!.next, ACCOUNT_NUMBER_WIDTH);
        const inserted = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit, status, request_hash)
          VALUES (${id}::uuid, ${tenantId}::uuid, ${customerId}::uuid, ${currency}, ${branch}, ${number}, ${checkDigit}, 'ACTIVE', ${hash})
          ON CONFLICT (id) DO NOTHING RETURNING id`;
        return inserted.length ? tx.account.findUniqueOrThrow({ where: { id } }) : null;
      }),
  });
  const account: AccountRow = row.ledgerAccountId ? row : await ensureLedgerAccount(deps, row);
  return { account, status };
}

/** Opens the account's ledger account (id = account id; idempotent) and records it. */
export async function ensureLedgerAccount(deps: { db: PrismaClient; ledger: LedgerClient }, row: AccountRow): Promise<AccountRow> {
  if (row.ledgerAccountId) return row;
  let results;
  try {
    results = await deps.ledger.createAccounts([
      { id: row.id, tenantId: row.tenantId, customerId: row.customerId, currency: row.currency, code: LEDGER_CODES.CUSTOMER, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
    ]);
  } catch (error) {
    if (error instanceof LedgerUnavailableError) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The ledger is unavailable: repeat the request to finish opening the account.');
    throw error;
  }
  // Permanent: the id is taken in the ledger by an account with other attributes (or they are invalid).
  if (results[0]?.status === 'FAILED') throw new LedgerRefusedError(row.id, results[0].error ?? 'LEDGER_REFUSED');
  return deps.db.account.update({ where: { id: row.id }, data: { ledgerAccountId: row.id } });
}

/** An account the caller manages (the tenant's client or an operator) for lifecycle changes. */
async function managedAccount(loaders: AccountsLoaders, identity: Identity | null, id: string): Promise<AccountRow> {
  const who = requireIdentity(identity);
  const row = isUuid(id) ? await loaders.account.load(id.toLowerCase()) : null;
  if (!row) throw missingRecord(who, 'Account');
  const manages = who.kind === 'operator' || (who.kind === 'api_client' && who.tenantId === row.tenantId && who.scopes.includes('accounts:write'));
  if (!manages) throw forbidden();
  return row;
}

/** ACTIVE ↔ FROZEN; CLOSED only from a zero balance with nothing pending. Each is idempotent (repeating is harmless). */
export async function changeStatus(
  deps: { db: PrismaClient; loaders: AccountsLoaders },
  identity: Identity | null,
  id: string,
  to: 'ACTIVE' | 'FROZEN' | 'CLOSED',
): Promise<AccountRow> {
  const row = await managedAccount(deps.loaders, identity, id);
  if (row.status === to) return row;
  if (row.status === 'CLOSED') throw new DomainError('CONFLICT', 'The account is closed.', { status: row.status });
  if (to === 'CLOSED') {
    const balance = row.ledgerAccountId ? await deps.loaders.balance.load(row.ledgerAccountId) : null;
    if (balance && (balance.posted !== 0n || balance.pendingDebits !== 0n || balance.pendingCredits !== 0n)) {
      throw new DomainError('CONFLICT', 'Only an account with a zero balance and nothing pending can be closed.', { reason: 'BALANCE_NOT_ZERO' });
    }
    const open = await deps.db.transferSaga.count({ where: { OR: [{ fromAccountId: row.id }, { toAccountId: row.id }], state: { in: ['PENDING', 'HELD'] } } });
    if (open > 0) throw new DomainError('CONFLICT', 'Transfers of this account are still in progress.', { reason: 'TRANSFERS_IN_PROGRESS' });
  }
  // Conditional update: a concurrent change wins or loses as a whole.
  const updated = await deps.db.account.updateMany({ where: { id: row.id, status: row.status }, data: { status: to, ...(to === 'CLOSED' ? { closedAt: new Date() } : {}) } });
  if (updated.count === 0) throw new DomainError('CONFLICT', 'The account changed meanwhile: read it and try again.');
  return deps.db.account.findUniqueOrThrow({ where: { id: row.id } });
}
