import { badInput } from '@baas/errors';
import { sequenceArg } from './amount-args';

/** A DateTime argument as a Date: absent is null; anything but an ISO 8601 instant (date and time) is BAD_USER_INPUT. */
export function parseInstant(value: string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badInput(`${field} must be an ISO 8601 instant.`, { field });
  return date;
}

export type StatementWindowArgs = { from?: string | null; to?: string | null; first?: number | null; after?: string | null };

/**
 * The arguments of a statement page (ledger `LedgerAccount.statement`, accounts `Account.statement`),
 * checked the same way on both sides: `first` in 1..max (default 100), `from` not after `to`,
 * `after` a journal-sequence cursor (decimal digits). Each problem is BAD_USER_INPUT naming its field.
 */
export function parseStatementWindow(args: StatementWindowArgs, max: number): { first: number; from: Date | null; to: Date | null; after: string | null } {
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput(`first must be between 1 and ${max}.`, { field: 'first', limit: max });
  const from = parseInstant(args.from, 'from');
  const to = parseInstant(args.to, 'to');
  if (from && to && from > to) throw badInput('from must not be after to.', { field: 'from' });
  const after = args.after ?? null;
  // A journal position: 0..2^63 − 1 (a 19-digit cursor above that would overflow the BIGINT it is compared with).
  if (after !== null) sequenceArg(after, 'after', { sign: 'non-negative' });
  return { first, from, to, after };
}

/**
 * The opaque cursor of a page ordered by journal sequence (`seq:<n>`, base64url): what a
 * connection's `endCursor` and `edges.cursor` carry, and its `after` takes back.
 */
export function encodeSeqCursor(seq: bigint): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

/** The journal sequence an `after` cursor names; anything encodeSeqCursor did not make is BAD_USER_INPUT naming `field`. */
export function decodeSeqCursor(cursor: string, field = 'after'): bigint {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith('seq:')) throw badInput(`${field} is not a valid cursor.`, { field });
  return sequenceArg(text.slice(4), field, { sign: 'non-negative' });
}

/**
 * The opaque cursor of a page ordered newest first by (createdAt, id): the last item's pair,
 * base64url. decodeTimeIdCursor refuses anything encodeTimeIdCursor did not make as BAD_USER_INPUT
 * naming `field`; the instant comes back as the ISO string stores compare on.
 */
export function encodeTimeIdCursor(item: { createdAt: Date; id: string }): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`, 'utf8').toString('base64url');
}

export function decodeTimeIdCursor(cursor: string, field = 'after'): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const createdAt = bar < 0 ? '' : text.slice(0, bar);
  const id = bar < 0 ? '' : text.slice(bar + 1);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(createdAt) || id === '') throw badInput(`${field} is not a valid cursor.`, { field });
  return { createdAt, id };
}
