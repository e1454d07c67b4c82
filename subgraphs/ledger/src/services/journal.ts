import { randomUUID } from 'node:crypto';
import { canonicalize, chainHash } from '@baas/ledger-proofs';
import type { AccountBalancesOf } from './apply-batch';
import type { TransferRecord } from './types';

/** Journal entry kind and event subject per transfer kind (docs/ledger.md). */
export const EVENT_OF_KIND = {
  SINGLE: 'ledger.transfer.posted',
  PENDING: 'ledger.transfer.created',
  POST: 'ledger.transfer.posted',
  VOID: 'ledger.transfer.voided',
  EXPIRE: 'ledger.transfer.expired',
} as const;

export type JournalRow = { seq: bigint; transferId: string; kind: string; content: string; prevHash: Buffer; hash: Buffer };
export type OutboxRow = { seq: bigint; eventId: string; subject: string; payload: string };

/**
 * The canonical content of a transfer's journal entry (version 1). It commits to every field that
 * moves money, and to the request hash (so metadata cannot be changed unnoticed either).
 */
export function journalContent(t: TransferRecord): string {
  // Hand-built for speed (thousands per batch); byte for byte what canonicalize() gives for the same
  // object (keys in code-unit order, bigints as strings): a unit test holds the two together.
  // Ids are UUIDs and currencies letters, so only the ISO timestamps need no escaping either.
  const pending = t.pendingId === null ? 'null' : `"${t.pendingId}"`;
  const expires = t.expiresAt === null ? 'null' : `"${t.expiresAt.toISOString()}"`;
  return (
    `{"amount":"${t.amount}","code":${t.code},"creditAccountId":"${t.creditAccountId}","currency":${JSON.stringify(t.currency)},` +
    `"debitAccountId":"${t.debitAccountId}","expiresAt":${expires},"kind":"${t.kind}","pendingId":${pending},` +
    `"requestHash":"${t.requestHash}","seq":"${t.journalSeq}","timestamp":"${t.createdAt.toISOString()}","transferId":"${t.id}","v":1}`
  );
}

/** The same content through the generic canonical encoder (the reference for journalContent). */
export function journalContentReference(t: TransferRecord): string {
  return canonicalize({
    v: 1,
    seq: t.journalSeq,
    kind: t.kind,
    transferId: t.id,
    debitAccountId: t.debitAccountId,
    creditAccountId: t.creditAccountId,
    amount: t.amount,
    currency: t.currency,
    code: t.code,
    pendingId: t.pendingId,
    expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null,
    requestHash: t.requestHash,
    timestamp: t.createdAt.toISOString(),
  });
}

/** Chains the batch's transfers after `head` and builds one outbox event per entry. */
export function buildJournal(opts: {
  created: TransferRecord[];
  head: Buffer;
  balancesAfter: Map<string, [AccountBalancesOf, AccountBalancesOf]>;
  correlationId?: string;
}): { journal: JournalRow[]; outbox: OutboxRow[]; head: Buffer } {
  let prev = opts.head;
  const journal: JournalRow[] = [];
  const outbox: OutboxRow[] = [];
  for (const t of opts.created) {
    const content = journalContent(t);
    const hash = chainHash(prev, content);
    journal.push({ seq: t.journalSeq, transferId: t.id, kind: t.kind, content, prevHash: prev, hash });
    prev = hash;
    const subject = EVENT_OF_KIND[t.kind];
    const eventId = randomUUID();
    const balance = (a: AccountBalancesOf) => ({
      id: a.id,
      debitsPosted: String(a.debitsPosted),
      creditsPosted: String(a.creditsPosted),
      debitsPending: String(a.debitsPending),
      creditsPending: String(a.creditsPending),
    });
    const [debitAfter, creditAfter] = opts.balancesAfter.get(t.id)!;
    outbox.push({
      seq: t.journalSeq,
      eventId,
      subject,
      payload: JSON.stringify({
        eventId,
        type: subject,
        seq: String(t.journalSeq),
        occurredAt: t.createdAt.toISOString(),
        accountIds: [t.debitAccountId, t.creditAccountId],
        transfer: {
          id: t.id,
          kind: t.kind,
          debitAccountId: t.debitAccountId,
          creditAccountId: t.creditAccountId,
          amount: String(t.amount),
          currency: t.currency,
          code: t.code,
          pendingId: t.pendingId,
        },
        // Balances right after this transfer: a read model keeps the one with the highest seq it has seen.
        accounts: [balance(debitAfter), balance(creditAfter)],
        ...(opts.correlationId ? { correlationId: opts.correlationId } : {}),
      }),
    });
  }
  return { journal, outbox, head: prev };
}
