import { canAccess, requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { buildStatement, toCsv, type StatementEntry } from '../domain/statement';
import { LedgerUnavailableError, TRANSFER_CODES, type LedgerClient, type LedgerStatementPage } from '../clients/ledger/client';
import type { AccountRow, AccountsLoaders } from './accounts';
import { parseStatementWindow, type StatementWindowArgs } from '@baas/server';

/** Largest page of Account.statement. */
export const MAX_STATEMENT_PAGE = 500;
/** Most rows statementCsv renders; a longer period must be split. */
export const MAX_CSV_ROWS = 10_000;

const DESCRIPTIONS: Record<number, string> = {
  [TRANSFER_CODES.TRANSFER]: 'Transfer',
  [TRANSFER_CODES.SANDBOX_FUNDING]: 'Sandbox funding',
  [TRANSFER_CODES.FX_SELL]: 'FX',
  [TRANSFER_CODES.FX_BUY]: 'FX',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The client's id of the entry: metadata.sagaId, which accounts writes on every ledger transfer of a saga. */
export function clientTransferId(metadata: Record<string, unknown> | null): string | null {
  const id = metadata?.['sagaId'];
  return typeof id === 'string' && UUID.test(id) ? id : null;
}

/** What a line says: the transfer's metadata.description when given, else what its code means. */
export function describeEntry(code: number, metadata: Record<string, unknown> | null): string {
  const given = metadata?.['description'];
  if (typeof given === 'string' && given.trim() !== '') return given;
  return DESCRIPTIONS[code] ?? 'Ledger entry';
}

export type StatementLine = {
  /** The ledger transfer (what transferInclusionProof takes). */
  transferId: string;
  /** The id the client sent (the saga's id: transfer, FX execution, funding), from the ledger metadata accounts wrote; null otherwise. */
  accountTransferId: string | null;
  at: Date;
  amount: bigint;
  runningBalance: bigint;
  description: string;
  counterpartyAccountId: string | null;
};

export type StatementPageView = { openingBalance: bigint; entries: StatementLine[]; closingBalance: bigint; endCursor: string | null; hasNextPage: boolean };

type Deps = { ledger: LedgerClient; loaders: AccountsLoaders };

/**
 * One page of an account's statement over [from, to): the ledger computes the running balances (window function
 * over the account's posted entries by journal position); this maps them to Money and descriptions and shows a
 * counterparty only when it is a customer account the caller may see.
 */
export async function statementPage(
  deps: Deps,
  identity: Identity | null,
  account: AccountRow,
  args: StatementWindowArgs,
): Promise<StatementPageView> {
  const who = requireIdentity(identity);
  const { first, from, to, after } = parseStatementWindow(args, MAX_STATEMENT_PAGE);
  if (!account.ledgerAccountId) return { openingBalance: 0n, entries: [], closingBalance: 0n, endCursor: null, hasNextPage: false };

  let raw: LedgerStatementPage;
  try {
    const page = await deps.ledger.statement({
      id: account.ledgerAccountId,
      from: from?.toISOString() ?? null,
      to: to?.toISOString() ?? null,
      first,
      after,
    });
    if (!page) throw new Error(`ledger account ${account.ledgerAccountId} not found`);
    raw = page;
  } catch (error) {
    if (error instanceof LedgerUnavailableError) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The ledger is unavailable: try again shortly.');
    throw error;
  }

  const counterparties = await deps.loaders.account.loadMany([...new Set(raw.entries.map((e) => e.counterpartyAccountId))]);
  const visible = new Set<string>();
  for (const c of counterparties) {
    if (c && !(c instanceof Error) && canAccess(who, { tenantId: c.tenantId, customerId: c.customerId })) visible.add(c.ledgerAccountId ?? c.id);
  }
  const openingBalance = BigInt(raw.openingBalance);
  const entries = raw.entries.map((e) => ({
    transferId: e.transferId,
    accountTransferId: clientTransferId(e.metadata ?? null),
    at: new Date(e.at),
    amount: BigInt(e.amount),
    runningBalance: BigInt(e.runningBalance),
    description: describeEntry(e.code, e.metadata ?? null),
    counterpartyAccountId: visible.has(e.counterpartyAccountId) ? e.counterpartyAccountId : null,
  }));
  const last = entries[entries.length - 1];
  return { openingBalance, entries, closingBalance: last ? last.runningBalance : openingBalance, endCursor: raw.endCursor ?? null, hasNextPage: raw.hasNextPage };
}

/** The whole period as RFC 4180 CSV (domain/statement.ts toCsv); more than MAX_CSV_ROWS rows is BAD_USER_INPUT. */
export async function statementCsv(deps: Deps, identity: Identity | null, account: AccountRow, args: { from?: string | null; to?: string | null }): Promise<string> {
  let opening: bigint | null = null;
  const entries: StatementEntry[] = [];
  const expected: bigint[] = [];
  let after: string | null = null;
  for (;;) {
    const page: StatementPageView = await statementPage(deps, identity, account, { ...args, first: MAX_STATEMENT_PAGE, after });
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
