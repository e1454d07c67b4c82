/** Dates of birth as the lists write them, to YYYY-MM-DD, YYYY-MM or YYYY. */
const MONTHS: Record<string, string> = { jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06', jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12' };

/** "14 Mar 1975", "Mar 1975", "1975", "circa 1960", "1958 to 1960" (every year of the range), ISO dates. */
export function parseListDate(raw: string): string[] {
  const text = raw.trim().replace(/^circa\s+/i, '');
  const range = /^(\d{4})\s*(?:to|-)\s*(\d{4})$/.exec(text);
  if (range) return yearRange(Number(range[1]), Number(range[2]));
  const iso = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(text);
  if (iso) return [iso[3] ? `${iso[1]}-${iso[2]}-${iso[3]}` : `${iso[1]}-${iso[2]}`];
  const dmy = /^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$/.exec(text);
  if (dmy) {
    const month = MONTHS[dmy[2]!.toLowerCase()];
    if (!month) return [];
    return [dmy[1] ? `${dmy[3]}-${month}-${dmy[1].padStart(2, '0')}` : `${dmy[3]}-${month}`];
  }
  const year = /^(\d{4})$/.exec(text);
  return year ? [year[1]!] : [];
}

export function yearRange(from: number, to: number): string[] {
  if (!Number.isInteger(from) || !Number.isInteger(to) || to < from || to - from > 20) return [];
  return Array.from({ length: to - from + 1 }, (_, k) => String(from + k));
}

export type DobAgreement = 'EXACT' | 'PARTIAL' | 'MISMATCH' | 'UNKNOWN';

/**
 * How an applicant's date of birth (YYYY-MM-DD) agrees with a listed party's: EXACT when a listed
 * full date is equal, PARTIAL when a listed year or year-month is consistent with it, MISMATCH when
 * the list has dates and none is consistent, UNKNOWN when either side has none.
 */
export function compareDatesOfBirth(applicant: string | undefined, listed: readonly string[]): DobAgreement {
  if (!applicant || !/^\d{4}-\d{2}-\d{2}$/.test(applicant) || listed.length === 0) return 'UNKNOWN';
  let partial = false;
  for (const date of listed) {
    if (date === applicant) return 'EXACT';
    if (date.length < 10 && applicant.startsWith(date)) partial = true;
  }
  return partial ? 'PARTIAL' : 'MISMATCH';
}
