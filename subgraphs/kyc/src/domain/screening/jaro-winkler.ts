import { firstCharacterSoundexMatch } from './phonetics';

/**
 * Token scoring after Moov Watchman's internal/stringscore/jaro_winkler.go (read 2026-12-06):
 * Jaro-Winkler with a boost threshold of 0.7 and a prefix of 4 (smetrics.JaroWinkler(s1, s2, 0.7, 4)),
 * then "customJaroWinkler": a penalty when two tokens' lengths differ a lot (min/max length under
 * 0.9 scales the score by 1 - (1 - ratio) * 0.3) and when they start with different letters (x 0.9).
 */
const BOOST_THRESHOLD = 0.7;
const PREFIX_SIZE = 4;
const LENGTH_DIFFERENCE_CUTOFF = 0.9;
const LENGTH_DIFFERENCE_PENALTY_WEIGHT = 0.3;
const DIFFERENT_LETTER_PENALTY = 0.9;
/**
 * Watchman's UNMATCHED_INDEX_TOKEN_WEIGHT is 0.15; we use 0.3 (see docs/kyc-screening.md): with
 * 0.15 a two-token common name ("Carlos Ferreira") scores 0.925 against a four-token listed name
 * that merely contains both tokens, above any useful threshold.
 */
export const UNMATCHED_INDEX_TOKEN_WEIGHT = 0.3;

/** Plain Jaro similarity over code points. Computed in a canonical argument order, so it is symmetric. */
export function jaro(x: string, y: string): number {
  const [a, b] = x <= y ? [Array.from(x), Array.from(y)] : [Array.from(y), Array.from(x)];
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler: Jaro, raised for a common prefix (up to 4) when Jaro is above 0.7. */
export function jaroWinkler(a: string, b: string): number {
  const score = jaro(a, b);
  if (score <= BOOST_THRESHOLD) return score;
  const ca = Array.from(a);
  const cb = Array.from(b);
  let prefix = 0;
  while (prefix < PREFIX_SIZE && prefix < ca.length && prefix < cb.length && ca[prefix] === cb[prefix]) prefix++;
  return Math.min(1, score + prefix * 0.1 * (1 - score));
}

function scalingFactor(metric: number, weight: number): number {
  return 1 - (1 - metric) * weight;
}

/** Watchman's customJaroWinkler: Jaro-Winkler with length-difference and first-letter penalties. */
export function tokenSimilarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  let score = jaroWinkler(a, b);
  const lengthRatio = Math.min(a.length, b.length) / Math.max(a.length, b.length);
  if (lengthRatio < LENGTH_DIFFERENCE_CUTOFF) score *= scalingFactor(lengthRatio, LENGTH_DIFFERENCE_PENALTY_WEIGHT);
  if (a[0] !== b[0]) score *= DIFFERENT_LETTER_PENALTY;
  return score;
}

const sumLength = (tokens: readonly string[]) => tokens.reduce((n, t) => n + t.length, 0);

/**
 * Watchman's BestPairsJaroWinkler: every query token against every listed token whose first
 * letter is in the same sound class; the pairs are taken best first, each token used at most once;
 * the chosen scores are averaged weighted by the pair's character length, over the query's whole
 * length and the matched part of the listed name (an unmatched query token counts as 0); then the
 * fraction of the listed name left unmatched scales the score down (coverage penalty), so "John Doe"
 * scores higher against "John Doe" than against "John Bartholomew Doe".
 */
export function bestPairsJaroWinkler(searchTokens: readonly string[], indexedTokens: readonly string[], unmatchedIndexWeight = UNMATCHED_INDEX_TOKEN_WEIGHT): number {
  if (searchTokens.length === 0 || indexedTokens.length === 0) return 0;
  const pairs: { score: number; s: number; i: number }[] = [];
  for (let s = 0; s < searchTokens.length; s++) {
    for (let i = 0; i < indexedTokens.length; i++) {
      const searchToken = searchTokens[s]!;
      const indexedToken = indexedTokens[i]!;
      if (firstCharacterSoundexMatch(searchToken, indexedToken)) pairs.push({ score: tokenSimilarity(indexedToken, searchToken), s, i });
    }
  }
  // Ties broken by position, so the result does not depend on the sort's stability.
  pairs.sort((p, q) => q.score - p.score || p.s - q.s || p.i - q.i);
  const searchUsed = new Array<boolean>(searchTokens.length).fill(false);
  const indexUsed = new Array<boolean>(indexedTokens.length).fill(false);
  let weighted = 0;
  let matchedIndexLength = 0;
  for (const pair of pairs) {
    if (searchUsed[pair.s] || indexUsed[pair.i]) continue;
    searchUsed[pair.s] = true;
    indexUsed[pair.i] = true;
    const indexLength = indexedTokens[pair.i]!.length;
    weighted += pair.score * (searchTokens[pair.s]!.length + indexLength);
    matchedIndexLength += indexLength;
  }
  const average = weighted / (sumLength(searchTokens) + matchedIndexLength);
  const matchedFraction = matchedIndexLength / sumLength(indexedTokens);
  return Math.max(0, Math.min(1, average * scalingFactor(matchedFraction, unmatchedIndexWeight)));
}
