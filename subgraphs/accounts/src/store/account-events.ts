import { randomUUID } from 'node:crypto';
import { derivedUuid } from '@baas/server';
import type { Prisma } from '../generated/prisma/client';

/**
 * An accounts domain event: `subject` under accounts.> (accounts.account.opened, accounts.account.frozen,
 * accounts.account.unfrozen, accounts.account.closed, accounts.transfer.completed, accounts.transfer.failed).
 */
export type AccountEvent = { eventId: string; subject: string; data: Record<string, unknown> };

/** The account fields an event carries (structurally an account-store AccountRow; no import, so no circle). */
type AccountFacts = {
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

/** The saga fields a transfer event carries (structurally a saga-store TransferSagaRow). */
type TransferFacts = {
  id: string;
  kind: string;
  state: string;
  tenantId: string;
  customerId: string;
  fromAccountId: string | null;
  toAccountId: string | null;
  amount: bigint;
  currency: string;
  failureCode: string | null;
  description: string | null;
  createdAt: Date;
};

/** JSON with bigints as decimal strings (money is never a JSON number). */
export const eventJson = (data: unknown): string => JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Appends events to accounts.account_event_outbox inside the caller's transaction: they leave (the
 * relay publishes them to stream ACCOUNTS_EVENTS) if and only if the change that caused them commits.
 * A repeated eventId is skipped (the change was already recorded). Insert last in the transaction:
 * the outbox's sequencing trigger holds its head row until commit.
 */
export async function appendAccountEvents(tx: Prisma.TransactionClient, events: readonly AccountEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.accountEventOutbox.createMany({
    data: events.map((e) => ({ eventId: e.eventId, subject: e.subject, payload: eventJson(e.data) })),
    skipDuplicates: true,
  });
}

/** What a tenant sees of an account in its events. */
function accountData(a: AccountFacts): Record<string, unknown> {
  return {
    accountId: a.id,
    tenantId: a.tenantId,
    customerId: a.customerId,
    currency: a.currency,
    branch: a.branch,
    number: a.number,
    checkDigit: a.checkDigit,
    status: a.status,
    ledgerAccountId: a.ledgerAccountId,
  };
}

/** accounts.account.opened: the account has its ledger account (it can hold and move money). Once per account. */
export function accountOpenedEvent(a: AccountFacts): AccountEvent {
  return { eventId: derivedUuid(`accounts:account:${a.id}:OPENED`), subject: 'accounts.account.opened', data: { ...accountData(a), openedAt: a.createdAt.toISOString() } };
}

const STATUS_SUBJECTS: Record<string, string> = { FROZEN: 'accounts.account.frozen', ACTIVE: 'accounts.account.unfrozen', CLOSED: 'accounts.account.closed' };

/**
 * accounts.account.frozen | unfrozen | closed: a status change that was written (a conditional update
 * that won). Freezing may happen many times, so those ids are fresh per change; closing happens once.
 */
export function accountStatusEvent(a: AccountFacts, from: string): AccountEvent {
  const subject = STATUS_SUBJECTS[a.status];
  if (!subject) throw new Error(`no event for account status ${a.status}`);
  const eventId = a.status === 'CLOSED' ? derivedUuid(`accounts:account:${a.id}:CLOSED`) : randomUUID();
  return { eventId, subject, data: { ...accountData(a), previousStatus: from, ...(a.closedAt ? { closedAt: a.closedAt.toISOString() } : {}) } };
}

/**
 * accounts.transfer.completed (POSTED) or accounts.transfer.failed (VOIDED, FAILED) for a transfer
 * saga in its final state; null for other kinds (FX, sandbox funding) and unfinished sagas. The id
 * is derived from the saga and its final state, so a repeated final write adds nothing.
 */
export function transferFinalEvent(s: TransferFacts): AccountEvent | null {
  if (s.kind !== 'TRANSFER') return null;
  const completed = s.state === 'POSTED';
  if (!completed && s.state !== 'VOIDED' && s.state !== 'FAILED') return null;
  const status = completed ? 'COMPLETED' : 'FAILED';
  return {
    eventId: derivedUuid(`accounts:transfer:${s.id}:${status}`),
    subject: completed ? 'accounts.transfer.completed' : 'accounts.transfer.failed',
    data: {
      transferId: s.id,
      tenantId: s.tenantId,
      customerId: s.customerId,
      fromAccountId: s.fromAccountId,
      toAccountId: s.toAccountId,
      amount: s.amount.toString(),
      currency: s.currency,
      status,
      state: s.state,
      ...(completed ? {} : { failureReason: s.failureCode }),
      description: s.description,
      createdAt: s.createdAt.toISOString(),
    },
  };
}
