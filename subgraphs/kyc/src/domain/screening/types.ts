/** The lists screening knows; a list id is also the key a list version is stored under. */
export type SanctionsListId = 'OFAC_SDN' | 'UN_CONSOLIDATED' | 'PEP';

/** SANCTIONS lists forbid the relationship; a PEP list only asks for enhanced due diligence. */
export type ScreeningCategory = 'SANCTIONS' | 'PEP';

export type SanctionsEntryKind = 'INDIVIDUAL' | 'ENTITY' | 'VESSEL' | 'AIRCRAFT';

/** One listed party, whatever list it came from, as the parsers return it and the store keeps it. */
export type SanctionsEntry = {
  list: SanctionsListId;
  /** The list's own id: OFAC ent_num, UN REFERENCE_NUMBER, the PEP file's id. */
  sourceId: string;
  kind: SanctionsEntryKind;
  /** Display name, given names first ("Carlos Eduardo MALVADO FERREIRA"). */
  name: string;
  aliases: string[];
  /** YYYY-MM-DD, YYYY-MM or YYYY; several where the list gives alternatives or a range of years. */
  datesOfBirth: string[];
  /** ISO 3166 alpha-2 where the country is known to countryCode(), the list's text lower-cased otherwise. */
  countries: string[];
  /** Sanctions programmes (OFAC Program, UN list type) or the PEP's position. */
  programs: string[];
};

export function categoryOf(list: SanctionsListId): ScreeningCategory {
  return list === 'PEP' ? 'PEP' : 'SANCTIONS';
}
