import { requireIdentity, type Identity } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { parseStatementWindow, type StatementWindowArgs } from '@baas/server';
import { LedgerUnavailableError, type LedgerClient, type LedgerStatementPage } from '../clients/ledger/client';
import { clientTransferId, describeEntry } from '../domain/statement';
import { maySeeAccount } from '../permissions';
import type { AccountRow } from '../store/account-store';

/** Largest page of Account.statement. */
export const MAX_STATEMENT_PAGE = 500;

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

export type GetStatementPageDeps = {
  ledger: Pick<LedgerClient, 'statement'>;
  /** Accounts by id (the counterparties), batched. */
  accounts: { loadMany(ids: readonly string[]): Promise<(AccountRow | null | Error)[]> };
};

/**
 * One page of an account's statement over [from, to): the ledger computes the running balances (window function
 * over the account's posted entries by journal position); this maps them to descriptions and shows a
 * counterparty only when it is an account the caller may see (maySeeAccount). The account itself was
 * authorised by the caller (its parent field).
 */
export async function getStatementPage(deps: GetStatementPageDeps, identity: Identity | null, account: AccountRow, args: StatementWindowArgs): Promise<StatementPageView> {
  const who = requireIdentity(identity);
  const { first, from, to, after } = parseStatementWindow(args, MAX_STATEMENT_PAGE);
  if (!account.ledgerAccountId) return { openingBalance: 0n, entries: [], closingBalance: 0n, endCursor: null, hasNextPage: false };

  let raw: LedgerStatementPage;
  try {
    const page = await deps.ledger.statement({ id: account.ledgerAccountId, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null, first, after });
    if (!page) throw new Error(`ledger account ${account.ledgerAccountId} not found`);
    raw = page;
  } catch (error) {
    if (error instanceof LedgerUnavailableError) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The ledger is unavailable: try again shortly.');
    throw error;
  }

  const counterparties = await deps.accounts.loadMany([...new Set(raw.entries.map((e) => e.counterpartyAccountId))]);
  const visible = new Set<string>();
  for (const c of counterparties) {
    if (c && !(c instanceof Error) && maySeeAccount(who, c)) visible.add(c.ledgerAccountId ?? c.id);
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
