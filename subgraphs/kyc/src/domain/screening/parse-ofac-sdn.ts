import { parseCsv } from './csv';
import { countryCode } from './countries';
import { parseListDate } from './dates';
import type { SanctionsEntry, SanctionsEntryKind } from './types';

/**
 * OFAC's legacy SDN flat files as published (https://sanctionslist.ofac.treas.gov, "SDN.CSV" and
 * "ALT.CSV"): no header row, "-0-" for an empty field.
 *   sdn.csv: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 *   alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks
 * Dates of birth and nationalities are only in Remarks ("DOB 14 Mar 1975; nationality Brazil").
 * Individuals are written "SURNAMES, Given Names"; like Watchman's reorderSDNName
 * (internal/prepare/pipeline_reorder.go) we show them given names first.
 */
const EMPTY = '-0-';

function field(row: readonly string[], index: number): string {
  const value = (row[index] ?? '').trim();
  return value === EMPTY ? '' : value;
}

function kindOf(sdnType: string): SanctionsEntryKind {
  switch (sdnType.toLowerCase()) {
    case 'individual':
      return 'INDIVIDUAL';
    case 'vessel':
      return 'VESSEL';
    case 'aircraft':
      return 'AIRCRAFT';
    default:
      return 'ENTITY';
  }
}

/** "MALVADO FERREIRA, Carlos Eduardo" -> "Carlos Eduardo MALVADO FERREIRA" (individuals only). */
export function reorderIndividualName(name: string): string {
  const parts = name.split(',');
  if (parts.length !== 2) return name;
  const [surnames, given] = [parts[0]!.trim(), parts[1]!.trim()];
  return given === '' ? surnames : `${given} ${surnames}`;
}

function readRemarks(remarks: string): { datesOfBirth: string[]; countries: string[] } {
  const datesOfBirth: string[] = [];
  const countries: string[] = [];
  for (const raw of remarks.split(';')) {
    const part = raw.trim().replace(/^alt\.\s*/i, '').replace(/\.$/, '');
    const dob = /^DOB\s+(.+)$/i.exec(part);
    if (dob) datesOfBirth.push(...parseListDate(dob[1]!));
    const nationality = /^(?:nationality|citizen)\s+(.+)$/i.exec(part);
    if (nationality) countries.push(countryCode(nationality[1]!));
  }
  return { datesOfBirth, countries };
}

const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ''))];

/** Parses SDN.CSV (and ALT.CSV for aliases); rows without a numeric ent_num are skipped. */
export function parseOfacSdnCsv(sdnText: string, altText?: string): SanctionsEntry[] {
  const entries = new Map<string, SanctionsEntry>();
  for (const row of parseCsv(sdnText)) {
    const id = field(row, 0);
    const rawName = field(row, 1);
    if (!/^\d+$/.test(id) || rawName === '') continue;
    const kind = kindOf(field(row, 2));
    const { datesOfBirth, countries } = readRemarks(field(row, 11));
    const flag = field(row, 9);
    entries.set(id, {
      list: 'OFAC_SDN',
      sourceId: id,
      kind,
      name: kind === 'INDIVIDUAL' ? reorderIndividualName(rawName) : rawName,
      aliases: [],
      datesOfBirth: unique(datesOfBirth),
      countries: unique([...countries, ...(flag ? [countryCode(flag)] : [])]),
      programs: unique(field(row, 3).replace(/^\[|\]$/g, '').split(/\]\s*\[/).map((p) => p.trim())),
    });
  }
  if (altText) {
    for (const row of parseCsv(altText)) {
      const entry = entries.get(field(row, 0));
      const alias = field(row, 3);
      if (!entry || alias === '') continue;
      const shown = entry.kind === 'INDIVIDUAL' ? reorderIndividualName(alias) : alias;
      if (!entry.aliases.includes(shown)) entry.aliases.push(shown);
    }
  }
  return [...entries.values()];
}
