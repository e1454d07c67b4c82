import { parseCsv } from './csv';
import { countryCode } from './countries';
import { parseListDate } from './dates';
import type { SanctionsEntry } from './types';

/**
 * Politically exposed persons, in a simple CSV of our own (there is no official PEP format):
 * a header row `id,full_name,aliases,date_of_birth,country,position`, aliases separated by '|',
 * date_of_birth as YYYY-MM-DD or YYYY, country as ISO alpha-2 or a name. Columns are found by
 * header name, so their order may change; id and full_name are required.
 */
export function parsePepCsv(text: string): SanctionsEntry[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [id, fullName, aliases, dob, country, position] = ['id', 'full_name', 'aliases', 'date_of_birth', 'country', 'position'].map(column);
  if (id === undefined || fullName === undefined || id < 0 || fullName < 0) throw new Error('PEP list: the header needs id and full_name');
  const cell = (row: string[], index: number | undefined) => (index === undefined || index < 0 ? '' : (row[index] ?? '').trim());
  return rows
    .filter((row) => cell(row, id) !== '' && cell(row, fullName) !== '')
    .map((row) => ({
      list: 'PEP' as const,
      sourceId: cell(row, id),
      kind: 'INDIVIDUAL' as const,
      name: cell(row, fullName),
      aliases: cell(row, aliases).split('|').map((a) => a.trim()).filter(Boolean),
      datesOfBirth: cell(row, dob) ? parseListDate(cell(row, dob)) : [],
      countries: cell(row, country) ? [countryCode(cell(row, country))] : [],
      programs: cell(row, position) ? [cell(row, position)] : [],
    }));
}
