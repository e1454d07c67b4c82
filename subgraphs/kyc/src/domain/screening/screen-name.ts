import { countryCode } from './countries';
import { compareDatesOfBirth, type DobAgreement } from './dates';
import { bestPairsJaroWinkler } from './jaro-winkler';
import { nameTokens } from './normalize-name';
import { soundex } from './phonetics';
import { categoryOf, type SanctionsEntry, type SanctionsEntryKind, type SanctionsListId, type ScreeningCategory } from './types';

/**
 * A hit at or above this score is a possible match (the application goes to manual review).
 * Chosen from the measurement in docs/kyc-screening.md (models/kyc/screening/quality.json).
 */
export const SCREENING_MATCH_THRESHOLD = 0.88;

export type ScreeningQuery = {
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  /** ISO 3166 alpha-2 (or a country name) */
  country?: string;
  /** When given, a listed party of another kind scores at most TYPE_MISMATCH_CAP (as Watchman does). */
  kind?: SanctionsEntryKind;
};

export type CountryAgreement = 'MATCH' | 'MISMATCH' | 'UNKNOWN';

export type ScreeningHit = {
  list: SanctionsListId;
  category: ScreeningCategory;
  sourceId: string;
  kind: SanctionsEntryKind;
  /** The listed name or alias that scored best. */
  matchedName: string;
  /** The listed party's primary name. */
  listedName: string;
  /** 0..1, the name score raised or lowered by date of birth and country. */
  score: number;
  nameScore: number;
  dateOfBirth: DobAgreement;
  country: CountryAgreement;
  programs: string[];
};

type IndexedName = { entry: number; display: string; tokens: string[] };

/** Built once per list version: every name and alias tokenised, and buckets from token Soundex to names. */
export type ScreeningIndex = {
  entries: readonly SanctionsEntry[];
  names: readonly IndexedName[];
  buckets: ReadonlyMap<string, readonly number[]>;
};

export function buildScreeningIndex(entries: readonly SanctionsEntry[]): ScreeningIndex {
  const names: IndexedName[] = [];
  const buckets = new Map<string, number[]>();
  entries.forEach((entry, entryIndex) => {
    for (const display of [entry.name, ...entry.aliases]) {
      const tokens = nameTokens(display);
      if (tokens.length === 0) continue;
      const nameIndex = names.push({ entry: entryIndex, display, tokens }) - 1;
      for (const key of new Set(tokens.map(soundex))) {
        const bucket = buckets.get(key);
        if (bucket) bucket.push(nameIndex);
        else buckets.set(key, [nameIndex]);
      }
    }
  });
  return { entries, names, buckets };
}

const DOB_EXACT_GAIN = 0.4;
const DOB_PARTIAL_GAIN = 0.15;
const DOB_MISMATCH_FACTOR = 0.9;
const COUNTRY_MATCH_GAIN = 0.1;
const COUNTRY_MISMATCH_FACTOR = 0.97;
/** Watchman's typeMismatchScore (pkg/search/similarity.go). */
export const TYPE_MISMATCH_CAP = 0.667;

/**
 * Watchman weighs supporting information (dates, addresses) below the name (pkg/search/similarity.go:
 * name 35, supporting 15). We keep the name decisive and let the rest move it: an equal date of
 * birth closes 40% of the gap to 1, a consistent year 15%, a contradicting date takes 10% off;
 * an equal country closes 10% of the gap, another country takes 3% off.
 */
export function combineScore(nameScore: number, dob: DobAgreement, country: CountryAgreement): number {
  let score = nameScore;
  if (dob === 'EXACT') score += (1 - score) * DOB_EXACT_GAIN;
  else if (dob === 'PARTIAL') score += (1 - score) * DOB_PARTIAL_GAIN;
  else if (dob === 'MISMATCH') score *= DOB_MISMATCH_FACTOR;
  if (country === 'MATCH') score += (1 - score) * COUNTRY_MATCH_GAIN;
  else if (country === 'MISMATCH') score *= COUNTRY_MISMATCH_FACTOR;
  return Math.max(0, Math.min(1, score));
}

function compareCountry(query: string | undefined, listed: readonly string[]): CountryAgreement {
  if (!query || listed.length === 0) return 'UNKNOWN';
  return listed.includes(countryCode(query)) ? 'MATCH' : 'MISMATCH';
}

/** The listed names that share at least one token sound with the query (never the whole list). */
function candidateNames(index: ScreeningIndex, tokens: readonly string[]): Set<number> {
  const candidates = new Set<number>();
  for (const key of new Set(tokens.map(soundex))) for (const n of index.buckets.get(key) ?? []) candidates.add(n);
  return candidates;
}

/**
 * Screens a name against an index: the best-scoring name or alias of each listed party, with date
 * of birth and country applied, kept when at or above the threshold, best first.
 */
export function screenName(index: ScreeningIndex, query: ScreeningQuery, options: { threshold?: number; limit?: number } = {}): ScreeningHit[] {
  const threshold = options.threshold ?? SCREENING_MATCH_THRESHOLD;
  const tokens = nameTokens(query.fullName);
  if (tokens.length === 0) return [];
  const best = new Map<number, { nameScore: number; display: string }>();
  for (const n of candidateNames(index, tokens)) {
    const name = index.names[n]!;
    const nameScore = bestPairsJaroWinkler(tokens, name.tokens);
    const current = best.get(name.entry);
    if (!current || nameScore > current.nameScore) best.set(name.entry, { nameScore, display: name.display });
  }
  const hits: ScreeningHit[] = [];
  for (const [entryIndex, { nameScore, display }] of best) {
    const entry = index.entries[entryIndex]!;
    const dateOfBirth = compareDatesOfBirth(query.dateOfBirth, entry.datesOfBirth);
    const country = compareCountry(query.country, entry.countries);
    let score = combineScore(nameScore, dateOfBirth, country);
    if (query.kind && query.kind !== entry.kind) score = Math.min(score, TYPE_MISMATCH_CAP);
    if (score < threshold) continue;
    hits.push({
      list: entry.list,
      category: categoryOf(entry.list),
      sourceId: entry.sourceId,
      kind: entry.kind,
      matchedName: display,
      listedName: entry.name,
      score,
      nameScore,
      dateOfBirth,
      country,
      programs: entry.programs,
    });
  }
  hits.sort((a, b) => b.score - a.score || a.list.localeCompare(b.list) || a.sourceId.localeCompare(b.sourceId));
  return hits.slice(0, options.limit ?? 10);
}
