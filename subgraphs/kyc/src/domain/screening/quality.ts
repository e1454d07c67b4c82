import { buildScreeningIndex, screenName, SCREENING_MATCH_THRESHOLD } from './screen-name';
import type { SanctionsEntry } from './types';

/**
 * Measuring screening quality on perturbed names, deterministically: a seeded generator perturbs
 * each listed individual's name the ways applicants and clerks do (typos, transpositions, a dropped
 * token, another token order, accents), and makes negatives from common Brazilian names.
 * Pure: the caller brings the entries (tests and scripts/measure-screening.ts read the fixtures).
 */
export type Rng = () => number;

/** mulberry32: a small, well-mixed 32-bit PRNG, enough for reproducible test data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ACCENTED: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', c: 'ç', n: 'ñ' };

export type Perturbation = 'EXACT' | 'TYPO' | 'INSERTION' | 'DELETION' | 'TRANSPOSITION' | 'DROPPED_TOKEN' | 'SWAPPED_ORDER' | 'ACCENTS' | 'TYPO_AND_SWAP';
export const PERTURBATIONS: readonly Perturbation[] = ['EXACT', 'TYPO', 'INSERTION', 'DELETION', 'TRANSPOSITION', 'DROPPED_TOKEN', 'SWAPPED_ORDER', 'ACCENTS', 'TYPO_AND_SWAP'];

function editToken(rng: Rng, tokens: string[], edit: (t: string, at: number) => string): string[] {
  const candidates = tokens.map((t, i) => [t, i] as const).filter(([t]) => t.length >= 4);
  if (candidates.length === 0) return tokens;
  const [token, index] = pick(rng, candidates);
  const at = 1 + Math.floor(rng() * (token.length - 2)); // keep the first letter, as most typos do
  return tokens.map((t, i) => (i === index ? edit(t, at) : t));
}

/** One perturbation of a name (as words separated by spaces). */
export function perturbName(rng: Rng, name: string, kind: Perturbation): string {
  const tokens = name.split(/\s+/).filter(Boolean);
  switch (kind) {
    case 'EXACT':
      return tokens.join(' ');
    case 'TYPO':
      return editToken(rng, tokens, (t, at) => t.slice(0, at) + pick(rng, [...LETTERS]) + t.slice(at + 1)).join(' ');
    case 'INSERTION':
      return editToken(rng, tokens, (t, at) => t.slice(0, at) + pick(rng, [...LETTERS]) + t.slice(at)).join(' ');
    case 'DELETION':
      return editToken(rng, tokens, (t, at) => t.slice(0, at) + t.slice(at + 1)).join(' ');
    case 'TRANSPOSITION':
      return editToken(rng, tokens, (t, at) => (at + 1 < t.length ? t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2) : t)).join(' ');
    case 'DROPPED_TOKEN': {
      if (tokens.length < 3) return tokens.join(' ');
      const drop = 1 + Math.floor(rng() * (tokens.length - 1)); // a middle name or a surname, never the first name
      return tokens.filter((_, i) => i !== drop).join(' ');
    }
    case 'SWAPPED_ORDER':
      return [...tokens.slice(1), tokens[0]!].join(' ');
    case 'ACCENTS': {
      const lower = tokens.join(' ').toLowerCase();
      const plain = lower.normalize('NFD').replace(/\p{M}+/gu, '');
      // Lists and applicants disagree on accents both ways: drop them, or add plausible ones.
      return plain !== lower ? plain : plain.replace(/[aeioucn]/, (c) => ACCENTED[c] ?? c);
    }
    case 'TYPO_AND_SWAP':
      return perturbName(rng, perturbName(rng, name, 'TYPO'), 'SWAPPED_ORDER');
  }
}

const FIRST_NAMES = ['Maria', 'Ana', 'Francisca', 'Antonia', 'Adriana', 'Juliana', 'Marcia', 'Fernanda', 'Patricia', 'Aline', 'Jose', 'Joao', 'Antonio', 'Francisco', 'Carlos', 'Paulo', 'Pedro', 'Lucas', 'Luiz', 'Marcos', 'Luis', 'Gabriel', 'Rafael', 'Daniel', 'Marcelo', 'Bruno', 'Eduardo', 'Felipe', 'Raimundo', 'Rodrigo', 'Beatriz', 'Camila', 'Leticia', 'Vanessa', 'Sandra', 'Tiago', 'Mateus', 'Gustavo', 'Vitor', 'Larissa'];
const SURNAMES = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', 'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas', 'Cardoso', 'Ramos', 'Goncalves', 'Santana', 'Teixeira', 'Araujo', 'Pinto', 'Correia', 'Moura', 'Cavalcanti'];
const PARTICLES = ['da', 'dos', 'de'];

/** Common Brazilian names (first, maybe a second first, one or two surnames, maybe a particle), distinct. */
export function commonBrazilianNames(rng: Rng, count: number): string[] {
  const names = new Set<string>();
  for (let attempts = 0; names.size < count && attempts < count * 20; attempts++) {
    const parts = [pick(rng, FIRST_NAMES)];
    if (rng() < 0.35) parts.push(pick(rng, FIRST_NAMES));
    if (rng() < 0.25) parts.push(pick(rng, PARTICLES));
    parts.push(pick(rng, SURNAMES));
    if (rng() < 0.5) parts.push(pick(rng, SURNAMES));
    if (new Set(parts).size === parts.length) names.add(parts.join(' '));
  }
  return [...names];
}

function randomDate(rng: Rng): string {
  const year = 1940 + Math.floor(rng() * 65);
  const month = 1 + Math.floor(rng() * 12);
  const day = 1 + Math.floor(rng() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type QualityCase = { query: string; dateOfBirth?: string; expected: string | null; perturbation: Perturbation | 'NEGATIVE' };

/** Positives (each individual's primary name, perturbationsPerKind of each kind) and negatives. */
export function generateQualityCases(entries: readonly SanctionsEntry[], options: { seed: number; perturbationsPerKind: number; negatives: number; withDateOfBirth: boolean }): QualityCase[] {
  const rng = seededRng(options.seed);
  const cases: QualityCase[] = [];
  for (const entry of entries.filter((e) => e.kind === 'INDIVIDUAL')) {
    const fullDate = entry.datesOfBirth.find((d) => d.length === 10);
    for (const kind of PERTURBATIONS) {
      for (let k = 0; k < options.perturbationsPerKind; k++) {
        cases.push({ query: perturbName(rng, entry.name, kind), expected: `${entry.list}:${entry.sourceId}`, perturbation: kind, ...(options.withDateOfBirth && fullDate ? { dateOfBirth: fullDate } : {}) });
      }
    }
  }
  for (const name of commonBrazilianNames(rng, options.negatives)) {
    cases.push({ query: name, expected: null, perturbation: 'NEGATIVE', ...(options.withDateOfBirth ? { dateOfBirth: randomDate(rng) } : {}) });
  }
  return cases;
}

export type QualityReport = {
  threshold: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  /** Negatives with at least one hit, over all negatives. */
  falsePositiveRate: number;
  precision: number;
  recall: number;
  recallByPerturbation: Record<string, number>;
  /** The negatives that hit (names are generated, not PII), for the record. */
  falsePositiveExamples: string[];
};

/**
 * Runs every case through screenName. A positive counts as a true positive when its listed party is
 * among the hits (other hits beside it are not counted against it); a negative with any hit, or a
 * positive whose hits are all other parties, is a false positive.
 */
export function measureScreeningQuality(entries: readonly SanctionsEntry[], cases: readonly QualityCase[], threshold = SCREENING_MATCH_THRESHOLD): QualityReport {
  const index = buildScreeningIndex(entries);
  let tp = 0, fn = 0, fp = 0, negatives = 0, negativeHits = 0;
  const byKind = new Map<string, { hit: number; total: number }>();
  const examples: string[] = [];
  for (const c of cases) {
    const hits = screenName(index, { fullName: c.query, ...(c.dateOfBirth ? { dateOfBirth: c.dateOfBirth } : {}) }, { threshold, limit: 50 });
    if (c.expected === null) {
      negatives++;
      if (hits.length > 0) {
        fp++;
        negativeHits++;
        if (examples.length < 20) examples.push(`${c.query} -> ${hits[0]!.matchedName} (${hits[0]!.score.toFixed(3)})`);
      }
      continue;
    }
    const found = hits.some((h) => `${h.list}:${h.sourceId}` === c.expected);
    const stat = byKind.get(c.perturbation) ?? { hit: 0, total: 0 };
    stat.total++;
    if (found) {
      tp++;
      stat.hit++;
    } else {
      fn++;
      if (hits.length > 0) fp++;
    }
    byKind.set(c.perturbation, stat);
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    threshold,
    positives: tp + fn,
    negatives,
    truePositives: tp,
    falseNegatives: fn,
    falsePositives: fp,
    falsePositiveRate: round(negatives === 0 ? 0 : negativeHits / negatives),
    precision: round(tp + fp === 0 ? 1 : tp / (tp + fp)),
    recall: round(tp + fn === 0 ? 1 : tp / (tp + fn)),
    recallByPerturbation: Object.fromEntries([...byKind].map(([k, v]) => [k, round(v.hit / v.total)])),
    falsePositiveExamples: examples,
  };
}

/** The measurement recorded in models/kyc/screening/quality.json (scripts/measure-screening.ts). */
export const QUALITY_MEASUREMENT = { seed: 16, perturbationsPerKind: 8, negatives: 3000, sweep: [0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.92, 0.94] } as const;

export type QualityMeasurement = {
  settings: typeof QUALITY_MEASUREMENT;
  nameOnly: QualityReport;
  withDateOfBirth: QualityReport;
  sweep: { threshold: number; nameOnly: { precision: number; recall: number }; withDateOfBirth: { precision: number; recall: number } }[];
};

/** Name only (no date of birth on either side of the query) and with the applicant's date of birth. */
export function runQualityMeasurement(entries: readonly SanctionsEntry[]): QualityMeasurement {
  const common = { seed: QUALITY_MEASUREMENT.seed, perturbationsPerKind: QUALITY_MEASUREMENT.perturbationsPerKind, negatives: QUALITY_MEASUREMENT.negatives };
  const nameOnlyCases = generateQualityCases(entries, { ...common, withDateOfBirth: false });
  const withDobCases = generateQualityCases(entries, { ...common, withDateOfBirth: true });
  const pr = (r: QualityReport) => ({ precision: r.precision, recall: r.recall });
  return {
    settings: QUALITY_MEASUREMENT,
    nameOnly: measureScreeningQuality(entries, nameOnlyCases),
    withDateOfBirth: measureScreeningQuality(entries, withDobCases),
    sweep: QUALITY_MEASUREMENT.sweep.map((threshold) => ({
      threshold,
      nameOnly: pr(measureScreeningQuality(entries, nameOnlyCases, threshold)),
      withDateOfBirth: pr(measureScreeningQuality(entries, withDobCases, threshold)),
    })),
  };
}
