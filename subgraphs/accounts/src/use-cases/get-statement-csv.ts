import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { buildStatement, toCsv, type StatementEntry } from '../domain/statement';
import type { AccountRow } from '../store/account-store';
import { getStatementPage, MAX_STATEMENT_PAGE, type GetStatementPageDeps, type StatementPageView } from './get-statement-page';

/** Most rows statementCsv renders; a longer period must be split. */
export const MAX_CSV_ROWS = 10_000;

/** The whole period as RFC 4180 CSV (domain/statement.ts toCsv); more than MAX_CSV_ROWS rows is BAD_USER_INPUT. */
export async function getStatementCsv(deps: GetStatementPageDeps, identity: Identity | null, account: AccountRow, args: { from?: string | null; to?: string | null }): Promise<string> {
  let opening: bigint | null = null;
  const entries: StatementEntry[] = [];
  const expected: bigint[] = [];
  let after: string | null = null;
  for (;;) {
    const page: StatementPageView = await getStatementPage(deps, identity, account, { ...args, first: MAX_STATEMENT_PAGE, after });
    opening ??= page.openingBalance;
    for (const e of page.entries) {
      entries.push({ id: e.transferId, accountTransferId: e.accountTransferId, at: e.at, amount: e.amount, description: e.description, currency: account.currency });
      expected.push(e.runningBalance);
    }
    if (entries.length > MAX_CSV_ROWS) {
      throw badInput(`The period has more than ${MAX_CSV_ROWS} entries: ask for a shorter period.`, { field: 'from', limit: MAX_CSV_ROWS });
    }
    if (!page.hasNextPage || !page.endCursor) break;
    after = page.endCursor;
  }
  const rows = buildStatement({ currency: account.currency, openingBalance: opening ?? 0n, entries });
  // The ledger's running balances and ours must agree; a mismatch means pages were not contiguous.
  rows.forEach((row, i) => {
    if (row.balance !== expected[i]) throw new Error(`statement of ${account.id}: running balance mismatch at ${row.id}`);
  });
  return toCsv(rows, { currency: account.currency });
}
