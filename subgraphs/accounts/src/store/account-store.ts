import type { PrismaClient } from '../generated/prisma/client';
import { accountOpenedEvent, accountStatusEvent, appendAccountEvents } from './account-events';

/** An account as the resolvers, use cases and sagas see it (accounts.account). */
export type AccountRow = {
  id: string;
  tenantId: string;
  customerId: string;
  currency: string;
  branch: string;
  number: string;
  checkDigit: string;
  status: string;
  createdAt: Date;
  ledgerAccountId: string | null;
  closedAt?: Date | null;
};

/** The stored row with its opening request's fingerprint (idempotency of openAccount). */
export type StoredAccount = AccountRow & { requestHash: string | null };

export type AccountStatus = 'ACTIVE' | 'FROZEN' | 'CLOSED';

/** A new account: its number is allocated in the same transaction from the branch's counter. */
export type NewAccount = {
  id: string;
  tenantId: string;
  customerId: string;
  currency: string;
  branch: string;
  requestHash: string;
  /** Number and check digit for the counter's next value (domain/account-number.ts). */
  numberFor(counter: bigint): { number: string; checkDigit: string };
};

type PrismaAccount = Awaited<ReturnType<PrismaClient['account']['findUniqueOrThrow']>>;

/** The row mapper: Prisma's model to the stored account. */
export function toStoredAccount(row: PrismaAccount): StoredAccount {
  return {
    id: row.id,
    tenantId: row.tenantId,
    customerId: row.customerId,
    currency: row.currency,
    branch: row.branch,
    number: row.number,
    checkDigit: row.checkDigit,
    status: row.status,
    createdAt: row.createdAt,
    ledgerAccountId: row.ledgerAccountId,
    closedAt: row.closedAt,
    requestHash: row.requestHash,
  };
}

/** Every statement on accounts.account (and the branch's number counter). */
export function createAccountStore(db: PrismaClient) {
  return {
    async findByIds(ids: readonly string[]): Promise<AccountRow[]> {
      return (await db.account.findMany({ where: { id: { in: [...ids] } } })).map(toStoredAccount);
    },
    /** Every account of these customers, oldest first. */
    async findByCustomerIds(customerIds: readonly string[]): Promise<AccountRow[]> {
      const rows = await db.account.findMany({ where: { customerId: { in: [...customerIds] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toStoredAccount);
    },
    async findById(id: string): Promise<StoredAccount | null> {
      const row = await db.account.findUnique({ where: { id } });
      return row ? toStoredAccount(row) : null;
    },
    /**
     * Allocates the branch's next number and inserts the account, in one transaction; null when the
     * id exists already (nothing written: the caller replays or refuses).
     */
    async insert(account: NewAccount): Promise<StoredAccount | null> {
      const { id, tenantId, customerId, currency, branch, requestHash } = account;
      return db.$transaction(async (tx) => {
        const [counter] = await tx.$queryRaw<{ next: bigint }[]>`
          INSERT INTO accounts.account_number_counter (branch, next) VALUES (${branch}, 2)
          ON CONFLICT (branch) DO UPDATE SET next = accounts.account_number_counter.next + 1
          RETURNING next - 1 AS next`;
        const { number, checkDigit } = account.numberFor(counter!.next);
        const inserted = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit, status, request_hash)
          VALUES (${id}::uuid, ${tenantId}::uuid, ${customerId}::uuid, ${currency}, ${branch}, ${number}, ${checkDigit}, 'ACTIVE', ${requestHash})
          ON CONFLICT (id) DO NOTHING RETURNING id`;
        return inserted.length ? toStoredAccount(await tx.account.findUniqueOrThrow({ where: { id } })) : null;
      });
    },
    /**
     * Records that the ledger opened the account's ledger account (same id) and, in the same
     * transaction, accounts.account.opened (the account is usable from now on; a repeat adds no event).
     */
    async recordLedgerAccount(id: string): Promise<AccountRow> {
      return db.$transaction(async (tx) => {
        const account = toStoredAccount(await tx.account.update({ where: { id }, data: { ledgerAccountId: id } }));
        await appendAccountEvents(tx, [accountOpenedEvent(account)]);
        return account;
      });
    },
    /**
     * Moves an account from `from` to `to` only if it is still in `from` (a concurrent change wins or
     * loses as a whole), with its event (accounts.account.frozen | unfrozen | closed) in the same
     * transaction; the account as written, or null when it changed meanwhile (nothing written).
     */
    async changeStatus(id: string, from: string, to: AccountStatus): Promise<AccountRow | null> {
      return db.$transaction(async (tx) => {
        const updated = await tx.account.updateMany({ where: { id, status: from }, data: { status: to, ...(to === 'CLOSED' ? { closedAt: new Date() } : {}) } });
        if (updated.count === 0) return null;
        const account = toStoredAccount(await tx.account.findUniqueOrThrow({ where: { id } }));
        await appendAccountEvents(tx, [accountStatusEvent(account, from)]);
        return account;
      });
    },
    /** How many accounts have an id in the platform's id space (version 5): opened before such ids were refused. */
    async countInPlatformIdSpace(): Promise<number> {
      const [row] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM accounts.account WHERE substr(id::text, 15, 1) = '5'`;
      return Number(row?.count ?? 0n);
    },
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
