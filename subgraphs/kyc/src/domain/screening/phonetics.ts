/**
 * Phonetic filters, after Watchman's internal/stringscore/phonetics.go: the first letter of two
 * tokens is put into a coarse sound class (vowels together, B/F/P/V, C/G/J/K/Q/S/X/Z, D/T, M/N,
 * H/W) and Jaro-Winkler only runs on pairs whose classes agree.
 */
const FIRST_LETTER_CLASS: Record<string, string> = {
  a: 'a', e: 'a', i: 'a', o: 'a', u: 'a', y: 'a',
  b: 'b', f: 'b', p: 'b', v: 'b',
  c: 'c', g: 'c', j: 'c', k: 'c', q: 'c', s: 'c', x: 'c', z: 'c',
  d: 'd', t: 'd',
  l: 'l',
  m: 'm', n: 'm',
  r: 'r',
  h: 'h', w: 'h',
};

export function firstLetterClass(token: string): string {
  const first = token.charAt(0);
  return FIRST_LETTER_CLASS[first] ?? first;
}

export function firstCharacterSoundexMatch(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  return firstLetterClass(a) === firstLetterClass(b);
}

const SOUNDEX_DIGIT: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

/**
 * American Soundex of a normalised token (letter + 3 digits; digits-only tokens are kept as they
 * are). The screening index buckets list tokens by it, so a query only meets entries that share
 * at least one token sound.
 */
export function soundex(token: string): string {
  if (token === '') return '';
  if (!/^[a-z]/.test(token)) return token;
  let code = token[0]!.toUpperCase();
  let previous = SOUNDEX_DIGIT[token[0]!] ?? '';
  for (let i = 1; i < token.length && code.length < 4; i++) {
    const c = token[i]!;
    const digit = SOUNDEX_DIGIT[c];
    if (digit === undefined) {
      // h and w do not separate equal codes; vowels do.
      if (c !== 'h' && c !== 'w') previous = '';
      continue;
    }
    if (digit !== previous) code += digit;
    previous = digit;
  }
  return code.padEnd(4, '0');
}
