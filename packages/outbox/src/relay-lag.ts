import { registerGauge, type MetricsRegistry } from '@baas/observability';

/** How far a relay is behind its outbox, as of its last read of the outbox. */
export type RelayLag = {
  /** Rows after the cursor (committed, not yet published). */
  waiting: number;
  /** Seconds since the oldest of them was written (0 when none waits). */
  oldestAgeSeconds: number;
};

type LagSource = { labels: { outbox: string; relay: string }; read(): RelayLag };

const sources = new WeakMap<MetricsRegistry, Set<LagSource>>();

/**
 * The relay's lag, kept from its own reads of the outbox (no extra scan): each fetch after the
 * cursor sees the oldest unpublished row (its created_at) and, when the fetch comes back short, how
 * many rows wait; a full fetch asks the seq index for the newest seq (one index probe, at most every
 * `probeEveryMs`). The age is computed at read time, so it keeps growing while the relay is stuck
 * (NATS away); the count is as of the last fetch.
 */
export function createRelayLag(probeEveryMs = 250) {
  let newestSeq = 0n;
  let cursor = 0n;
  let oldestCreatedAt: Date | undefined;
  let lastProbe = 0;
  return {
    /** After a fetch of `fetched` rows after `afterSeq` (limit `limit`); returns whether to probe the newest seq. */
    fetched(afterSeq: bigint, rows: readonly { seq: bigint; createdAt: Date }[], limit: number): boolean {
      cursor = afterSeq;
      oldestCreatedAt = rows[0]?.createdAt;
      const last = rows.at(-1)?.seq ?? afterSeq;
      if (last > newestSeq) newestSeq = last;
      if (rows.length < limit) {
        newestSeq = last;
        return false;
      }
      const now = Date.now();
      if (now - lastProbe < probeEveryMs) return false;
      lastProbe = now;
      return true;
    },
    probed(newest: bigint): void {
      if (newest > newestSeq) newestSeq = newest;
    },
    /** The cursor moved (rows published). */
    advanced(to: bigint): void {
      cursor = to;
      if (newestSeq <= cursor) oldestCreatedAt = undefined;
    },
    /** The relay lost the lock or stopped: it no longer reports a lag. */
    reset(): void {
      newestSeq = cursor;
      oldestCreatedAt = undefined;
    },
    read(): RelayLag {
      const waiting = newestSeq > cursor ? Number(newestSeq - cursor) : 0;
      const age = waiting > 0 && oldestCreatedAt ? Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000) : 0;
      return { waiting, oldestAgeSeconds: age };
    },
  };
}

/**
 * outbox_rows_waiting and outbox_oldest_waiting_age_seconds (labels: outbox, relay) on `registry`,
 * read from each relay's lag on every scrape. Returns the unregister function (on stop).
 */
export function exportRelayLag(registry: MetricsRegistry, source: LagSource): () => void {
  let set = sources.get(registry);
  if (!set) sources.set(registry, (set = new Set()));
  const all = set;
  registerGauge(registry, {
    name: 'outbox_rows_waiting',
    help: 'Outbox rows committed but not yet published by the relay holding the lock, as of its last read',
    labelNames: ['outbox', 'relay'] as const,
    collect: (g) => {
      g.reset();
      for (const s of all) g.set(s.labels, s.read().waiting);
    },
  });
  registerGauge(registry, {
    name: 'outbox_oldest_waiting_age_seconds',
    help: 'Seconds since the oldest unpublished outbox row was written (0 when none waits)',
    labelNames: ['outbox', 'relay'] as const,
    collect: (g) => {
      g.reset();
      for (const s of all) g.set(s.labels, s.read().oldestAgeSeconds);
    },
  });
  all.add(source);
  return () => void all.delete(source);
}
