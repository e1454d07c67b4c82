import type { GraphStore } from '../../src/store/graph-store';
import { prng, type GeneratedGraph } from './generate-graph';

/** Feeds a generated graph through the store, in the given order (a seeded shuffle when `shuffleSeed`). */
export async function ingest(store: GraphStore, g: GeneratedGraph, shuffleSeed?: number): Promise<void> {
  const rnd = shuffleSeed === undefined ? null : prng(shuffleSeed);
  const order = <T>(items: T[]): T[] => {
    if (!rnd) return items;
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const writes: (() => Promise<void>)[] = [
    ...g.accounts.map((a) => () => store.recordAccount(a)),
    ...g.identifiers.map((i) => () => store.recordIdentifiers(i)),
    ...g.payments.map((p) => () => store.recordPayment(p)),
    ...g.frauds.map((f) => () => store.markConfirmedFraud(f)),
  ];
  const all = order(writes);
  for (let i = 0; i < all.length; i += 16) await Promise.all(all.slice(i, i + 16).map((w) => w()));
}
