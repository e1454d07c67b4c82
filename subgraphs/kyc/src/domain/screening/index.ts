/** Sanctions and PEP screening in the manner of Moov Watchman; pure (no I/O). */
export type { SanctionsEntry, SanctionsEntryKind, SanctionsListId, ScreeningCategory } from './types';
export { categoryOf } from './types';
export { normalizeName, nameTokens } from './normalize-name';
export { jaro, jaroWinkler, tokenSimilarity, bestPairsJaroWinkler, UNMATCHED_INDEX_TOKEN_WEIGHT } from './jaro-winkler';
export { firstLetterClass, firstCharacterSoundexMatch, soundex } from './phonetics';
export { countryCode } from './countries';
export { parseListDate, compareDatesOfBirth, type DobAgreement } from './dates';
export { parseOfacSdnCsv, reorderIndividualName } from './parse-ofac-sdn';
export { parseUnConsolidatedXml } from './parse-un-consolidated';
export { parsePepCsv } from './parse-pep-csv';
export { parseXml, type XmlElement } from './xml-reader';
export {
  SCREENING_MATCH_THRESHOLD,
  TYPE_MISMATCH_CAP,
  buildScreeningIndex,
  combineScore,
  screenName,
  type CountryAgreement,
  type ScreeningHit,
  type ScreeningIndex,
  type ScreeningQuery,
} from './screen-name';
