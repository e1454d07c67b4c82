import type { Filter } from 'mongodb';
import { AuditError } from './errors';
import type { AuditDocument, AuditOutcome, AuditPageRequest, AuditQueryFilter } from './types';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Cursor = { at: Date; id: string };

/** Opaque to callers: base64url of `[epochMs, id]` of the last event on a page. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.getTime(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [ms, id] = parsed as unknown[];
    if (Number.isSafeInteger(ms) && typeof id === 'string' && SAFE_ID.test(id)) return { at: new Date(ms as number), id };
  }
  throw new AuditError('INVALID_CURSOR', 'The audit page cursor is not valid.');
}

/** The page size to ask for, validated. */
export function pageSize(page: AuditPageRequest): number {
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AuditError('INVALID_QUERY', `first must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return first;
}

/**
 * The MongoDB filter for an operator query. Only operators FerretDB v1 supports are used
 * ($and, $or, $gte, $lt, an anchored $regex, equality on nested fields).
 */
export function buildQuery(filter: AuditQueryFilter, after: string | null | undefined): Filter<AuditDocument> {
  const clauses: Filter<AuditDocument>[] = [];
  if (filter.tenantId !== undefined) clauses.push({ tenantId: filter.tenantId });
  if (filter.subject !== undefined) clauses.push({ 'actor.subject': requireString(filter.subject, 'subject') });
  if (filter.action !== undefined) clauses.push({ action: requireString(filter.action, 'action') });
  if (filter.actionPrefix !== undefined && filter.actionPrefix !== '') {
    clauses.push({ action: { $regex: `^${escapeRegex(requireString(filter.actionPrefix, 'actionPrefix'))}` } });
  }
  if (filter.outcome !== undefined) {
    if (!OUTCOMES.includes(filter.outcome)) throw new AuditError('INVALID_QUERY', `outcome must be one of ${OUTCOMES.join(', ')}.`);
    clauses.push({ outcome: filter.outcome });
  }
  if (filter.correlationId !== undefined) clauses.push({ correlationId: requireString(filter.correlationId, 'correlationId') });
  const from = filter.from === undefined ? undefined : requireDate(filter.from, 'from');
  const to = filter.to === undefined ? undefined : requireDate(filter.to, 'to');
  if (from && to) clauses.push({ at: { $gte: from, $lt: to } });
  else if (from) clauses.push({ at: { $gte: from } });
  else if (to) clauses.push({ at: { $lt: to } });
  if (after !== undefined && after !== null) {
    const cursor = decodeCursor(after);
    // Strictly after the cursor in (at desc, _id desc) order.
    clauses.push({ $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] });
  }
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0]! : { $and: clauses };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new AuditError('INVALID_QUERY', `${name} must be a string.`);
  return value;
}

function requireDate(value: unknown, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new AuditError('INVALID_QUERY', `${name} must be a valid date.`);
  return value;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
