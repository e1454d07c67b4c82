import type { Identity } from '@baas/auth';
import { parseStatementWindow, type StatementWindowArgs } from '@baas/server';
import type { LedgerAccountRow } from '../store/ledger-account-store';
import type { StatementPageRow, StatementStore } from '../store/statement-store';
import { checkLedgerAccountAccess } from './check-ledger-account-access';

export const MAX_STATEMENT_PAGE = 500;

/** A page of an account's statement over [from, to) (store/statement-store.ts), for whoever may read the account in full. */
export async function getStatement(deps: { statements: StatementStore }, identity: Identity | null, args: { account: LedgerAccountRow; window: StatementWindowArgs }): Promise<StatementPageRow> {
  const account = checkLedgerAccountAccess(deps, identity, args);
  return deps.statements.page(account.id, parseStatementWindow(args.window, MAX_STATEMENT_PAGE));
}
