/**
 * Pure arithmetic of the graph patterns and features (models/risk/fraud-features.json, features
 * 16-21). Money arrives as bigint minor units; a score is a float only because it is a model input.
 */

/** An identifier held by more than this many customers is public (CGNAT, a proxy) and ignored. */
export const PUBLIC_IDENTIFIER_CUSTOMERS = 20;
/** Accounts with more than this many counterparties in {@link HUB_WINDOW_MS} are not traversed. */
export const HUB_COUNTERPARTIES = 50;
export const HUB_WINDOW_MS = 30 * 24 * 3_600_000;
export const MULE_WINDOW_MS = 24 * 3_600_000;
/** Payments older than this are not part of a cycle. */
export const CYCLE_WINDOW_MS = 30 * 24 * 3_600_000;
export const MULE_MIN_UNRELATED_PAYERS = 3;
export const MAX_FRAUD_HOPS = 5;
/** Feature value when no confirmed fraudster is within MAX_FRAUD_HOPS. */
export const NO_FRAUD_DISTANCE = 6;
export const FEATURE_CAP = 100;

/**
 * Mule fan-in score: min(1, U/5) * (0.5 + 0.5 * min(1, OUT/IN)); 0 when IN is 0. The ratio is
 * taken on bigints (scaled to millionths) so huge sums never lose precision before the cast.
 */
export function muleScore(unrelatedPayers: number, inSum: bigint, outSum: bigint): number {
  if (inSum <= 0n || unrelatedPayers <= 0) return 0;
  const fanIn = Math.min(1, unrelatedPayers / 5);
  const ratioMillionths = outSum >= inSum ? 1_000_000n : (outSum * 1_000_000n) / inSum;
  return fanIn * (0.5 + 0.5 * (Number(ratioMillionths) / 1_000_000));
}

/** A mule: fan-in from 3+ unrelated payers, and at least half of what came in went out again. */
export function isMule(unrelatedPayers: number, inSum: bigint, outSum: bigint): boolean {
  return unrelatedPayers >= MULE_MIN_UNRELATED_PAYERS && inSum > 0n && outSum * 2n >= inSum;
}

export const sumAmounts = (amounts: readonly string[]): bigint => amounts.reduce((s, a) => s + BigInt(a), 0n);

/** Connected components of the customers that share identifiers (union-find), largest first. */
export function components(groups: readonly (readonly string[])[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let y = x; y !== root; ) {
      const next = parent.get(y)!;
      parent.set(y, root);
      y = next;
    }
    return root;
  };
  for (const group of groups) {
    for (const id of group) if (!parent.has(id)) parent.set(id, id);
    for (let i = 1; i < group.length; i++) {
      const a = find(group[0]!);
      const b = find(group[i]!);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  const byRoot = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    byRoot.set(root, [...(byRoot.get(root) ?? []), id]);
  }
  return [...byRoot.values()]
    .map((c) => c.sort())
    .filter((c) => c.length > 1)
    .sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
}

/** Per customer: distinct other customers sharing at least one identifier with it. */
export function sharedDegrees(groups: readonly (readonly string[])[]): Map<string, number> {
  const neighbours = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const a of group) {
      const set = neighbours.get(a) ?? new Set<string>();
      for (const b of group) if (b !== a) set.add(b);
      neighbours.set(a, set);
    }
  }
  return new Map([...neighbours].map(([id, set]) => [id, set.size]));
}

/** The cycle rotated to start at its smallest id, so each cycle has one spelling. */
export function canonicalCycle(ids: readonly string[]): string[] {
  let min = 0;
  for (let i = 1; i < ids.length; i++) if (ids[i]! < ids[min]!) min = i;
  return [...ids.slice(min), ...ids.slice(0, min)];
}

export const capFeature = (n: number): number => Math.min(FEATURE_CAP, n);
