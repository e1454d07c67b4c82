import { badInput } from '@baas/errors';
import type { KycApplicationRow } from '../store/application-store';
import type { KycDeps } from './kyc-deps';

export type KycReviewPageRow = { items: KycApplicationRow[]; endCursor: string | null; hasNextPage: boolean };

const cursorOf = (app: KycApplicationRow) => Buffer.from(JSON.stringify([app.updatedAt.toISOString(), app.id])).toString('base64url');

function parseCursor(after: string): { updatedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string];
    const updatedAt = new Date(at);
    if (typeof id === 'string' && !Number.isNaN(updatedAt.getTime())) return { updatedAt, id };
  } catch {
    // fall through
  }
  throw badInput('after is not a cursor this query gave.', { field: 'after', reason: 'MALFORMED_CURSOR' });
}

/**
 * The operators' review queue: applications in MANUAL_REVIEW, longest waiting first, each with its
 * evidence (check results, reasons, model versions) through KycApplication.checks. Operators only
 * (the rule tree). `first` 1-100 (default 20), `after` a cursor from a previous page.
 */
export async function getKycReviewQueue(deps: Pick<KycDeps, 'applications'>, input: { first?: number | null; after?: string | null }): Promise<KycReviewPageRow> {
  const first = input.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first is 1 to 100.', { field: 'first', reason: 'OUT_OF_RANGE' });
  const rows = await deps.applications.reviewQueue(first + 1, input.after ? parseCursor(input.after) : null);
  const items = rows.slice(0, first);
  return { items, endCursor: items.length ? cursorOf(items.at(-1)!) : null, hasNextPage: rows.length > first };
}
