/**
 * Name normalisation, after Moov Watchman's prepare pipeline (internal/prepare/pipeline_normalize.go,
 * LowerAndRemovePunctuation): lower-case, '.' and ',' removed (so "J.R." is "jr"), '-' a space,
 * Unicode NFD with the non-spacing marks removed (accents dropped). We also drop apostrophes
 * ("D'Avila" -> "davila"), turn any other non letter/digit into a space, and fold the few Latin
 * letters NFD does not decompose (ß, ø, æ, ...).
 *
 * Watchman removes language stop-words only from entity names and aliases
 * (pipeline_stopwords.go); for people it keeps every token. We differ on purpose: Portuguese,
 * Spanish and Arabic-transliterated personal names carry particles ("de", "da", "dos", "y",
 * "bin", "al-") that applicants and lists write or leave out at will, so they are dropped from
 * every name, query and list alike. Particles are only dropped when something else remains.
 */
const PARTICLES = new Set(['de', 'da', 'do', 'das', 'dos', 'e', 'del', 'la', 'las', 'los', 'y', 'di', 'du', 'van', 'von', 'der', 'bin', 'ibn', 'bint', 'al', 'el', 'ul']);

const FOLD: Record<string, string> = { 'ß': 'ss', 'ø': 'o', 'æ': 'ae', 'œ': 'oe', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'þ': 'th', 'ı': 'i', 'ħ': 'h' };

function normaliseOnce(raw: string): string {
  const folded = raw
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßøæœđðłþıħ]/g, (c) => FOLD[c] ?? c)
    .replace(/['’`´.,]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  const tokens = folded.split(' ').filter((t) => t.length > 0);
  const kept = tokens.filter((t) => !PARTICLES.has(t));
  return (kept.length > 0 ? kept : tokens).join(' ');
}

/** Lower-case tokens without accents, punctuation or particles, joined by single spaces; idempotent. */
export function normalizeName(raw: string): string {
  // Unicode case mapping and compatibility decomposition can each expose something the other
  // changes (a compatibility letter that decomposes to a capital); a few passes reach a fixed point.
  let current = raw;
  for (let pass = 0; pass < 4; pass++) {
    const next = normaliseOnce(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

export function nameTokens(raw: string): string[] {
  const normalised = normalizeName(raw);
  return normalised === '' ? [] : normalised.split(' ');
}
