import { getCurrency, MoneyError } from '@baas/money';

/**
 * Transaction limits in one currency, in minor units: per transaction, per local day per customer and per local
 * day per tenant. A limit that is absent (undefined or null) does not apply; a limit of 0n allows nothing.
 *
 * The rule itself (headroom = limit - used, never negative; an amount fits when it is at most the headroom; a
 * refusal names the exceeded limit with the least headroom) is said once, in PostgreSQL: accounts.fits_limit,
 * used by the atomic daily reservation (reserve_saga_usage) and by the read-only check (accounts.check_limits,
 * store/limits-store.ts checkLimits). It lives there because only the database can decide a daily limit
 * atomically under concurrency, in one statement. This module holds the types, the input checks and the
 * stored settings' shape. Whether to show a customer the tenant's remaining headroom is the caller's decision
 * (it reveals tenant-wide volume).
 */

export type LimitKind = 'PER_TRANSACTION' | 'PER_DAY_CUSTOMER' | 'PER_DAY_TENANT';

export type Limits = {
  readonly perTransaction?: bigint | null;
  readonly perDayCustomer?: bigint | null;
  readonly perDayTenant?: bigint | null;
};

export type LimitUsage = { readonly customer: bigint; readonly tenant: bigint };

export type LimitCheckInput = {
  /** The transaction amount in minor units of `currency`; positive. */
  readonly amount: bigint;
  readonly currency: string;
  /** What the customer and the whole tenant already moved in the current day window; non-negative. */
  readonly usedToday: LimitUsage;
  readonly limits: Limits;
};

export type LimitRefusal = {
  /** The limit with the least headroom among those the amount exceeds (ties: the order of LimitKind). */
  readonly limit: LimitKind;
  readonly currency: string;
  /** The configured limit. */
  readonly limitAmount: bigint;
  /** Already used against it today (0n for PER_TRANSACTION). */
  readonly used: bigint;
  /** The largest amount this limit still allows now, never negative. */
  readonly remaining: bigint;
  readonly requested: bigint;
  /** Every limit the amount exceeds, in LimitKind order. */
  readonly exceeded: readonly LimitKind[];
};

export type LimitCheckResult = { readonly ok: true } | { readonly ok: false; readonly refusal: LimitRefusal };

/** Refuses malformed input before the rule runs: a known currency, bigint minor units (amount positive, the rest non-negative). */
export function assertLimitInput(input: Omit<LimitCheckInput, 'amount'> & { amount?: bigint }): void {
  if ('amount' in input && input.amount !== undefined && (typeof input.amount !== 'bigint' || input.amount <= 0n)) {
    throw new MoneyError('INVALID_AMOUNT', 'The amount must be a positive bigint of minor units');
  }
  getCurrency(input.currency);
  nonNegative(input.usedToday?.customer, 'usedToday.customer');
  nonNegative(input.usedToday?.tenant, 'usedToday.tenant');
  for (const [name, limit] of [['PER_TRANSACTION', input.limits?.perTransaction], ['PER_DAY_CUSTOMER', input.limits?.perDayCustomer], ['PER_DAY_TENANT', input.limits?.perDayTenant]] as const) {
    if (limit !== undefined && limit !== null) nonNegative(limit, name);
  }
}

function nonNegative(value: unknown, name: string): bigint {
  if (typeof value !== 'bigint' || value < 0n) {
    throw new MoneyError('INVALID_AMOUNT', `${name} must be a non-negative bigint of minor units`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Stored settings

/** The limits JSON of TenantSettings: per kind, per currency, minor units as decimal strings. */
export type StoredLimits = {
  perTransaction?: Record<string, string>;
  perDayCustomer?: Record<string, string>;
  perDayTenant?: Record<string, string>;
};

export const LIMIT_KINDS = ['perTransaction', 'perDayCustomer', 'perDayTenant'] as const;

const INTEGER = /^\d+$/;

/** Reads the stored JSON defensively: anything that is not an integer string is no limit. */
export function parseStoredLimits(value: unknown): StoredLimits {
  const out: StoredLimits = {};
  if (!value || typeof value !== 'object') return out;
  for (const kind of LIMIT_KINDS) {
    const byCurrency = (value as Record<string, unknown>)[kind];
    if (!byCurrency || typeof byCurrency !== 'object') continue;
    const entries = Object.entries(byCurrency as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && INTEGER.test(e[1]));
    out[kind] = Object.fromEntries(entries);
  }
  return out;
}

/** The limits of one currency out of the stored settings (absent = unlimited). */
export function limitsIn(stored: StoredLimits, currency: string): Limits {
  const pick = (kind: (typeof LIMIT_KINDS)[number]) => {
    const v = stored[kind]?.[currency];
    return v === undefined ? null : BigInt(v);
  };
  return { perTransaction: pick('perTransaction'), perDayCustomer: pick('perDayCustomer'), perDayTenant: pick('perDayTenant') };
}

// ---------------------------------------------------------------------------------------------------------------
// Local days

export type DayWindow = { readonly start: Date; readonly end: Date };

/**
 * The local calendar day containing `now` in `timeZone`, as the instants [start, end). Computed with Intl's time
 * zone data, not a fixed offset, so historical and future rule changes hold (Brazil dropped DST in 2019, but a day
 * in 2018 still began at 01:00 local on the day DST started). start is the first instant whose local date is that
 * day; end is the first instant of a later local date, so a day is 23 or 25 hours long across DST changes.
 * Throws RangeError for an invalid date or an unknown time zone.
 */
export function dayWindow(now: Date, timeZone = 'America/Sao_Paulo'): DayWindow {
  const t = instant(now);
  const formatter = formatterFor(timeZone);
  const { year, month, day } = localParts(formatter, t);
  const start = startOfLocalDate(formatter, year, month, day);
  const end = startOfLocalDate(formatter, year, month, day + 1);
  return Object.freeze({ start: new Date(start), end: new Date(end) });
}

/** The local calendar date of `now` in `timeZone` as "YYYY-MM-DD" (for keys such as daily usage counters). */
export function localDate(now: Date, timeZone = 'America/Sao_Paulo'): string {
  const { year, month, day } = localParts(formatterFor(timeZone), instant(now));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const HOUR = 3_600_000;
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function instant(now: Date): number {
  const t = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError('dayWindow needs a valid Date');
  return t;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = FORMATTERS.get(timeZone);
  if (cached !== undefined) return cached;
  // Throws RangeError for an unknown zone. Gregorian calendar and Latin digits whatever the default locale.
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    calendar: 'gregory',
    numberingSystem: 'latn',
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  if (FORMATTERS.size >= MAX_FORMATTERS) FORMATTERS.clear();
  FORMATTERS.set(timeZone, formatter);
  return formatter;
}

function localParts(formatter: Intl.DateTimeFormat, t: number): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(t)) parts[part.type] = part.value;
  const yearOfEra = Number(parts.year);
  // Years before 1 CE come back as "1 BC", "2 BC", ...; astronomical numbering makes them 0, -1, ...
  const year = parts.era === 'BC' ? 1 - yearOfEra : yearOfEra;
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Local date of `t` as a number that orders like the date (and ignores the time of day). */
function dateKey(formatter: Intl.DateTimeFormat, t: number): number {
  const { year, month, day } = localParts(formatter, t);
  return utc(year, month - 1, day);
}

/** The first instant whose local date is on or after year-month-day (month/day may overflow: day 32 is fine). */
function startOfLocalDate(formatter: Intl.DateTimeFormat, year: number, month: number, day: number): number {
  const target = utc(year, month - 1, day); // normalises the overflow; also the date key of the target
  const isStart = (t: number) => dateKey(formatter, t) >= target && dateKey(formatter, t - 1) < target;

  // Fast path: local midnight = target − offset, where the offset is read at that instant (two passes settle it
  // unless midnight itself falls in a DST gap or a skipped day).
  let guess = target - offsetAt(formatter, target);
  guess = target - offsetAt(formatter, guess);
  if (isStart(guess)) return guess;

  // Slow path: local dates never decrease as time passes, so binary search for the first instant on or after the
  // target date. UTC offsets stay within ±14 h and gaps are at most a day, so ±50 h around `target` brackets it.
  let low = target - 50 * HOUR; // local date before target
  let high = target + 50 * HOUR; // local date on or after target
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (dateKey(formatter, mid) >= target) high = mid;
    else low = mid;
  }
  return high;
}

/** Local wall-clock time minus UTC at instant `t`, in milliseconds (whole seconds). */
function offsetAt(formatter: Intl.DateTimeFormat, t: number): number {
  const p = localParts(formatter, t);
  const wall = utc(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** Date.UTC without its quirk of reading years 0..99 as 1900..1999. */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}
