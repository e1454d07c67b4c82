import { countryCode } from './countries';
import { parseListDate, yearRange } from './dates';
import type { SanctionsEntry } from './types';
import { childrenNamed, childText, parseXml, type XmlElement } from './xml-reader';

/**
 * The UN Security Council consolidated list XML (https://scsanctions.un.org/resources/xml/en/consolidated.xml):
 * CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL (DATAID, FIRST_NAME..FOURTH_NAME, UN_LIST_TYPE,
 * REFERENCE_NUMBER, NATIONALITY/VALUE, INDIVIDUAL_ALIAS/ALIAS_NAME, INDIVIDUAL_DATE_OF_BIRTH with
 * DATE, YEAR or FROM_YEAR/TO_YEAR) and ENTITIES / ENTITY (FIRST_NAME is the name, ENTITY_ALIAS,
 * ENTITY_ADDRESS/COUNTRY). Names in original script are not read: queries are in Latin letters.
 */
const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ''))];

function aliases(element: XmlElement, tag: string): string[] {
  return unique(childrenNamed(element, tag).map((a) => childText(a, 'ALIAS_NAME').trim()));
}

function datesOfBirth(individual: XmlElement): string[] {
  const dates: string[] = [];
  for (const dob of childrenNamed(individual, 'INDIVIDUAL_DATE_OF_BIRTH')) {
    const date = childText(dob, 'DATE');
    const year = childText(dob, 'YEAR');
    const from = childText(dob, 'FROM_YEAR');
    const to = childText(dob, 'TO_YEAR');
    if (date) dates.push(...parseListDate(date));
    else if (year) dates.push(...parseListDate(year));
    else if (from && to) dates.push(...yearRange(Number(from), Number(to)));
  }
  return unique(dates);
}

function listSection(root: XmlElement, section: string, item: string): XmlElement[] {
  return childrenNamed(root, section).flatMap((s) => childrenNamed(s, item));
}

/** Parses the consolidated list; throws Error('XML: ...') on malformed XML or a DOCTYPE. */
export function parseUnConsolidatedXml(text: string): SanctionsEntry[] {
  const root = parseXml(text);
  if (root.name !== 'CONSOLIDATED_LIST') throw new Error('UN list: the root element is not CONSOLIDATED_LIST');
  const entries: SanctionsEntry[] = [];
  for (const person of listSection(root, 'INDIVIDUALS', 'INDIVIDUAL')) {
    const name = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((t) => childText(person, t).trim()).filter(Boolean).join(' ');
    if (name === '') continue;
    entries.push({
      list: 'UN_CONSOLIDATED',
      sourceId: childText(person, 'REFERENCE_NUMBER').trim() || childText(person, 'DATAID').trim(),
      kind: 'INDIVIDUAL',
      name,
      aliases: aliases(person, 'INDIVIDUAL_ALIAS'),
      datesOfBirth: datesOfBirth(person),
      countries: unique(childrenNamed(person, 'NATIONALITY').flatMap((n) => childrenNamed(n, 'VALUE').map((v) => countryCode(v.text)))),
      programs: unique([childText(person, 'UN_LIST_TYPE').trim()]),
    });
  }
  for (const entity of listSection(root, 'ENTITIES', 'ENTITY')) {
    const name = childText(entity, 'FIRST_NAME').trim();
    if (name === '') continue;
    entries.push({
      list: 'UN_CONSOLIDATED',
      sourceId: childText(entity, 'REFERENCE_NUMBER').trim() || childText(entity, 'DATAID').trim(),
      kind: 'ENTITY',
      name,
      aliases: aliases(entity, 'ENTITY_ALIAS'),
      datesOfBirth: [],
      countries: unique(childrenNamed(entity, 'ENTITY_ADDRESS').map((a) => countryCode(childText(a, 'COUNTRY')))),
      programs: unique([childText(entity, 'UN_LIST_TYPE').trim()]),
    });
  }
  return entries;
}
