import { formatMoney, getCurrency, money, MoneyError } from '@baas/money';
import { TRANSFER_CODES } from './ledger-codes';

/** One ledger entry as seen from the account: `amount` is signed (credit > 0, debit < 0) in minor units. */
export type StatementEntry = {
  /** The ledger transfer. */
  readonly id: string;
  /** The id the client sent (transfer, FX execution, funding), when the entry was made through accounts. */
  readonly accountTransferId?: string | null;
  readonly at: Date;
  readonly amount: bigint;
  readonly description: string;
  readonly currency: string;
};

/** A statement line: the entry plus the account balance right after it. */
export type StatementRow = StatementEntry & { readonly balance: bigint };

/**
 * Running balances over `entries`, kept in the order given (the ledger's posting order; nothing is re-sorted).
 * Every entry must be in `currency` (CURRENCY_MISMATCH otherwise) with a bigint amount and a valid date.
 * The last row's balance is openingBalance + the sum of all amounts.
 */
export function buildStatement(input: {
  currency: string;
  openingBalance: bigint;
  entries: readonly StatementEntry[];
}): StatementRow[] {
  const { currency, openingBalance, entries } = input;
  getCurrency(currency);
  if (typeof openingBalance !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', 'openingBalance must be a bigint of minor units');
  }
  let balance = openingBalance;
  return entries.map((entry, index) => {
    checkEntry(entry, currency, index);
    balance += entry.amount;
    return Object.freeze({ ...entry, balance });
  });
}

/**
 * The CSV columns, in order. `date` is the entry's instant in ISO 8601 UTC; `id` the ledger transfer;
 * `accountTransferId` the client's own id of the transfer (empty when the entry was not made through accounts).
 */
export const STATEMENT_CSV_COLUMNS = ['date', 'id', 'description', 'amount', 'balance', 'currency', 'accountTransferId'] as const;

/**
 * RFC 4180 CSV: a header row, CRLF after every record (the last one too), fields quoted when they contain a
 * comma, a double quote, CR or LF, with inner double quotes doubled. Amounts and balances are plain decimals from
 * @baas/money's formatMoney ("1234.56", "-0.05", "100" for JPY), never floats, and are written as they are
 * (a leading "-" is a legitimate negative number there). Text fields (id, description, currency) are
 * neutralised against formula injection by neutraliseFormula. All rows must be in `currency`.
 */
export function toCsv(rows: readonly StatementRow[], options: { currency: string }): string {
  const { currency } = options;
  getCurrency(currency);
  const lines = [STATEMENT_CSV_COLUMNS.join(',')];
  rows.forEach((row, index) => {
    checkEntry(row, currency, index);
    if (typeof row.balance !== 'bigint') {
      throw new MoneyError('INVALID_AMOUNT', `Row ${index}: balance must be a bigint of minor units`);
    }
    lines.push(
      [
        row.at.toISOString(),
        textField(row.id),
        textField(row.description),
        formatMoney(money(row.amount, currency)),
        formatMoney(money(row.balance, currency)),
        textField(row.currency),
        textField(row.accountTransferId ?? ''),
      ].join(','),
    );
  });
  return lines.map((line) => `${line}\r\n`).join('');
}

// Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or strip into one): OWASP's
// "CSV Injection" page lists = + - @ TAB CR, ASVS 5.0 requirement 1.2.10 adds NUL.
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\0']);

/**
 * Prefixes a single quote when the text starts with a formula trigger, so a spreadsheet shows it as text
 * ("=HYPERLINK(...)" becomes "'=HYPERLINK(...)"). For text columns only: applying it to amounts would turn every
 * negative number into text.
 */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

/** RFC 4180 section 2.6/2.7: quote when needed, double the quotes inside. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function textField(value: string): string {
  return csvField(neutraliseFormula(value));
}

function checkEntry(entry: StatementEntry, currency: string, index: number): void {
  if (typeof entry !== 'object' || entry === null) {
    throw new MoneyError('INVALID_AMOUNT', `Entry ${index} is not an object`);
  }
  if (typeof entry.amount !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', `Entry ${index}: amount must be a bigint of minor units`);
  }
  if (entry.currency !== currency) {
    throw new MoneyError('CURRENCY_MISMATCH', `Entry ${index} is in ${String(entry.currency)}, the statement in ${currency}`);
  }
  if (typeof entry.id !== 'string' || typeof entry.description !== 'string') {
    throw new TypeError(`Entry ${index}: id and description must be strings`);
  }
  if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime())) {
    throw new RangeError(`Entry ${index}: at must be a valid Date`);
  }
}

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
