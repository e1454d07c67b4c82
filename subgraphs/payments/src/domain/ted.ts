import { badInput } from '@baas/errors';
import {
  addDays, defaultBusinessCalendar, instantAt, localDateOf, localMinutesOf, parseLocalDate,
  type BusinessCalendar, type LocalDate,
} from './business-days';

/**
 * TED window (pure). TED settles through STR on business days only, from the opening (06:30 local,
 * America/Sao_Paulo) to the cut-off (17:00 by default; banks vary, so both are configurable). The
 * window is half-open: [opens, cutoff). A request inside it is sent now; any other request is
 * scheduled at the next window opening. A requested future date is scheduled at that day's opening
 * when it is a business day, else at the next business day's opening.
 */

export type TedWindow = { readonly opens: string; readonly cutoff: string };
export const DEFAULT_TED_WINDOW: TedWindow = Object.freeze({ opens: '06:30', cutoff: '17:00' });

export type TedScheduleOptions = {
  /** A local (Sao Paulo) date to pay on; today or later. */
  readonly requestedDate?: LocalDate;
  readonly window?: TedWindow;
  readonly calendar?: BusinessCalendar;
};

export type TedSchedule = { readonly kind: 'NOW' } | { readonly kind: 'SCHEDULED'; readonly at: Date; readonly date: LocalDate };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(text: string, field: string): number {
  const m = HH_MM.exec(text);
  if (!m) throw badInput('Not a valid time of day (HH:MM).', { field, reason: 'BAD_TIME' });
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Parses a window; refuses with BAD_USER_INPUT (reason BAD_TIME or BAD_WINDOW). */
export function parseTedWindow(window: TedWindow): { opens: number; cutoff: number } {
  const opens = minutesOf(window.opens, 'window.opens');
  const cutoff = minutesOf(window.cutoff, 'window.cutoff');
  if (opens >= cutoff) throw badInput('The TED window must open before its cut-off.', { field: 'window', reason: 'BAD_WINDOW' });
  return { opens, cutoff };
}

/** True when `instant` lies inside a TED window (business day, opens <= local time < cutoff). */
export function isInsideTedWindow(instant: Date, window: TedWindow = DEFAULT_TED_WINDOW, calendar: BusinessCalendar = defaultBusinessCalendar): boolean {
  const w = parseTedWindow(window);
  const minutes = localMinutesOf(instant);
  return calendar.isBusinessDay(localDateOf(instant)) && minutes >= w.opens && minutes < w.cutoff;
}

/** When a TED requested at `requestedAt` goes out: now, or at the next window opening. */
export function tedSchedule(requestedAt: Date, options: TedScheduleOptions = {}): TedSchedule {
  if (!(requestedAt instanceof Date) || Number.isNaN(requestedAt.getTime())) {
    throw badInput('Not a valid instant.', { field: 'requestedAt', reason: 'BAD_DATE' });
  }
  const calendar = options.calendar ?? defaultBusinessCalendar;
  const w = parseTedWindow(options.window ?? DEFAULT_TED_WINDOW);
  const today = localDateOf(requestedAt);
  const scheduled = (date: LocalDate): TedSchedule => ({ kind: 'SCHEDULED', at: instantAt(date, w.opens), date });

  if (options.requestedDate !== undefined) {
    const date = parseLocalDate(options.requestedDate, 'requestedDate');
    if (date < today) throw badInput('The requested date is in the past.', { field: 'requestedDate', reason: 'PAST_DATE' });
    if (date > today) return scheduled(calendar.businessDayOnOrAfter(date));
  }

  const minutes = localMinutesOf(requestedAt);
  if (calendar.isBusinessDay(today)) {
    if (minutes < w.opens) return scheduled(today);
    if (minutes < w.cutoff) return { kind: 'NOW' };
  }
  return scheduled(calendar.businessDayOnOrAfter(addDays(today, 1)));
}

/**
 * When a due scheduled TED may go: null (now) inside a window, or while the window it was scheduled
 * into is still open (`now` before `scheduledFor` plus the window's length: a few seconds' lateness
 * of the processor never pushes a TED to the next day); otherwise the next window's opening (the
 * processor was away past the cut-off: the TED never goes outside a window).
 */
export function tedReleaseAt(scheduledFor: Date | null, now: Date, options: Omit<TedScheduleOptions, 'requestedDate'> = {}): Date | null {
  const w = parseTedWindow(options.window ?? DEFAULT_TED_WINDOW);
  if (scheduledFor && now.getTime() < scheduledFor.getTime() + (w.cutoff - w.opens) * 60_000) return null;
  const next = tedSchedule(now, options);
  return next.kind === 'NOW' ? null : next.at;
}
