import { foldText } from './field-parsers';

/** Names at least this similar (0..1) are taken as the same person's. */
export const NAME_MATCH_THRESHOLD = 0.85;

/** Portuguese particles, left out when names are compared ("JOSÉ DA SILVA" = "JOSE SILVA"). */
const PARTICLES = new Set(['DA', 'DE', 'DO', 'DAS', 'DOS', 'E', 'D']);

/** The name's words without accents, punctuation or particles, upper case. */
export function nameTokens(name: string): string[] {
  return foldText(name)
    .replace(/[^A-Z ]/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0 && !PARTICLES.has(w));
}

/**
 * How alike two names are, 0..1: 1 - Levenshtein distance / longer length over the folded words
 * (accents, case, particles and extra spaces ignored), taking the better of the words in their order
 * and sorted (so "SILVA JOÃO" matches "JOÃO SILVA"). Symmetric; 1 for the same name.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return ta.length === tb.length ? 1 : 0;
  const inOrder = ratio(ta.join(' '), tb.join(' '));
  const sorted = ratio([...ta].sort().join(' '), [...tb].sort().join(' '));
  return Math.max(inOrder, sorted);
}

function ratio(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest;
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
