import Holidays from 'date-holidays';
import { badInput } from '@baas/errors';

/**
 * The Brazilian business-day calendar (pure; no I/O).
 *
 * - Local dates are ISO strings `YYYY-MM-DD` in America/Sao_Paulo. Brazil has had no daylight saving
 *   time since 2019, so local time is a fixed UTC-03:00 here (instants before 2019 are read with the
 *   same offset; payments are never scheduled that far back).
 * - Non-business days: Saturdays, Sundays, national public holidays from `date-holidays` (country BR,
 *   type `public` only), and the bank-only days, which are DATA: the caller may pass its own list of
 *   ISO dates; by default they are Carnival Monday and Tuesday (Easter - 48 / - 47 days) and Corpus
 *   Christi (Easter + 60 days), computed from Easter (Gregorian computus).
 * - Each calendar caches its non-business days per year.
 */

export const SAO_PAULO_OFFSET_MINUTES = -180;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type LocalDate = string;

export type BusinessCalendarOptions = {
  /** ISO dates that are bank holidays but not national public holidays. Replaces the default list (Carnival Mon/Tue, Corpus Christi). */
  readonly bankOnlyDays?: readonly LocalDate[];
  /** ISO dates added to the bank-only days of their year (the default list or `bankOnlyDays`): an operator's extra days. */
  readonly extraBankOnlyDays?: readonly LocalDate[];
};

export type BusinessCalendar = {
  isBusinessDay(date: LocalDate | Date): boolean;
  /** The first business day strictly after `date`. */
  nextBusinessDay(date: LocalDate | Date): LocalDate;
  /** `date` itself when it is a business day, else the next one. */
  businessDayOnOrAfter(date: LocalDate | Date): LocalDate;
  /** The non-business days of `year` other than weekends (public holidays and bank-only days), sorted. */
  holidays(year: number): readonly LocalDate[];
};

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm), as an ISO date. */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate(Date.UTC(year, month - 1, day));
}

/** The default bank-only days of a year: Carnival Monday, Carnival Tuesday, Corpus Christi. */
export function defaultBankOnlyDays(year: number): LocalDate[] {
  const easter = parseLocalDate(easterSunday(year));
  return [-48, -47, 60].map((offset) => addDays(easter, offset));
}

/** Validates and normalises an ISO local date; refuses with BAD_USER_INPUT (reason BAD_DATE). */
export function parseLocalDate(date: string, field = 'date'): LocalDate {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(y, m - 1, d);
    if (formatDate(ms) === date) return date;
  }
  throw badInput('Not a valid ISO date (YYYY-MM-DD).', { field, reason: 'BAD_DATE' });
}

/** The Sao Paulo local date of an instant. */
export function localDateOf(instant: Date): LocalDate {
  return formatDate(instant.getTime() + SAO_PAULO_OFFSET_MINUTES * 60_000);
}

/** Minutes since local midnight (Sao Paulo) of an instant. */
export function localMinutesOf(instant: Date): number {
  const local = instant.getTime() + SAO_PAULO_OFFSET_MINUTES * 60_000;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** The instant of local (Sao Paulo) `date` at `minutes` past midnight. */
export function instantAt(date: LocalDate, minutes: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + minutes * 60_000 - SAO_PAULO_OFFSET_MINUTES * 60_000);
}

/** `date` plus `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return formatDate(Date.UTC(y, m - 1, d) + days * DAY_MS);
}

/** 0 = Sunday .. 6 = Saturday. */
export function weekday(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function formatDate(ms: number): LocalDate {
  const dt = new Date(ms);
  const y = String(dt.getUTCFullYear()).padStart(4, '0');
  const m = String(dt.getUTCMonth() + 1).padStart(2, '0');
  const d = String(dt.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

const toLocal = (date: LocalDate | Date): LocalDate => (date instanceof Date ? localDateOf(date) : parseLocalDate(date));

/** Creates a calendar; `bankOnlyDays` (when given) replaces the default Carnival / Corpus Christi days. */
export function createBusinessCalendar(options: BusinessCalendarOptions = {}): BusinessCalendar {
  const supplied = options.bankOnlyDays?.map((d) => parseLocalDate(d, 'bankOnlyDays'));
  const extra = (options.extraBankOnlyDays ?? []).map((d) => parseLocalDate(d, 'extraBankOnlyDays'));
  const national = new Holidays('BR');
  const cache = new Map<number, ReadonlySet<LocalDate>>();

  const yearSet = (year: number): ReadonlySet<LocalDate> => {
    let set = cache.get(year);
    if (!set) {
      const days = new Set<LocalDate>();
      for (const h of national.getHolidays(year)) if (h.type === 'public') days.add(h.date.slice(0, 10));
      const bankOnly = supplied ? supplied.filter((d) => d.startsWith(`${year}-`)) : defaultBankOnlyDays(year);
      for (const d of bankOnly) days.add(d);
      for (const d of extra) if (d.startsWith(`${year}-`)) days.add(d);
      set = days;
      cache.set(year, set);
    }
    return set;
  };

  const isBusinessDay = (date: LocalDate | Date): boolean => {
    const local = toLocal(date);
    const wd = weekday(local);
    if (wd === 0 || wd === 6) return false;
    return !yearSet(Number(local.slice(0, 4))).has(local);
  };

  const businessDayOnOrAfter = (date: LocalDate | Date): LocalDate => {
    let day = toLocal(date);
    // Brazil never has more than a handful of consecutive non-business days; 30 is a safe bound.
    for (let i = 0; i < 30; i += 1) {
      if (isBusinessDay(day)) return day;
      day = addDays(day, 1);
    }
    throw new Error('No business day within 30 days: the bank-only day list is implausible.');
  };

  return {
    isBusinessDay,
    businessDayOnOrAfter,
    nextBusinessDay: (date) => businessDayOnOrAfter(addDays(toLocal(date), 1)),
    holidays: (year) => [...yearSet(year)].sort(),
  };
}

/** The default calendar (national public holidays + default bank-only days). */
export const defaultBusinessCalendar: BusinessCalendar = createBusinessCalendar();

export const isBusinessDay = (date: LocalDate | Date): boolean => defaultBusinessCalendar.isBusinessDay(date);
export const nextBusinessDay = (date: LocalDate | Date): LocalDate => defaultBusinessCalendar.nextBusinessDay(date);
export const businessDayOnOrAfter = (date: LocalDate | Date): LocalDate => defaultBusinessCalendar.businessDayOnOrAfter(date);
