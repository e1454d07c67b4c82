import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import type { Logger } from '@baas/observability';
import type { CollectionDefinition } from './define-collection';
import { ensureCollections, type CollectionReport } from './ensure-collections';

type DocOf<D> = D extends CollectionDefinition<infer T> ? T : never;

export type CreateMongoStoreOptions<D extends Record<string, CollectionDefinition<Document>>> = {
  url: string;
  database: string;
  /** Shown to the server as the client's appName (`baas-<service>`). */
  service: string;
  logger: Logger;
  collections: D;
  /** How long an operation waits for a reachable server before failing (default 5 s). */
  serverSelectionTimeoutMS?: number;
  /** How often expired documents are deleted where the server ignores a TTL index (default 60 s, as MongoDB's own TTL monitor). */
  ttlSweepIntervalMs?: number;
};

export type MongoStoreReport = { database: string; server: { version: string; product: 'mongodb' | 'ferretdb' }; collections: CollectionReport[] };

export type MongoStore<D extends Record<string, CollectionDefinition<Document>>> = {
  client: MongoClient;
  db: Db;
  /** One typed collection per definition, by the same key. */
  collections: { [K in keyof D]: Collection<DocOf<D[K]>> };
  /** What the server enforces of each definition and what it does not (also logged as warnings at start). */
  describe(): MongoStoreReport;
  /** Deletes the documents that TTL indexes the server ignores would have deleted; returns how many. */
  sweepExpired(): Promise<number>;
  /** For readiness: the server answers a ping. */
  isReady(): Promise<boolean>;
  /** Stops the sweeper and closes the client; for onStop. */
  close(): Promise<void>;
};

/**
 * One MongoDB client per process and its typed collections, created with their indexes and
 * validators (see ensureCollections for what happens where the server cannot enforce them).
 * Throws, having closed the client, when the server cannot be reached or a definition cannot be
 * honoured.
 */
export async function createMongoStore<D extends Record<string, CollectionDefinition<Document>>>(opts: CreateMongoStoreOptions<D>): Promise<MongoStore<D>> {
  const logger = opts.logger.child({ store: 'mongodb' });
  const client = new MongoClient(opts.url, { serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5_000, appName: `baas-${opts.service}` });
  let report: MongoStoreReport;
  const db = client.db(opts.database);
  try {
    await client.connect();
    const info = await db.admin().command({ buildInfo: 1 });
    const definitions = Object.values(opts.collections);
    report = {
      database: opts.database,
      server: { version: String(info.version), product: info.ferretdbVersion !== undefined ? 'ferretdb' : 'mongodb' },
      collections: await ensureCollections({ db, definitions, logger }),
    };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  const collections = Object.fromEntries(Object.entries(opts.collections).map(([key, def]) => [key, db.collection(def.name)])) as MongoStore<D>['collections'];

  const sweeps = report.collections.flatMap((c) =>
    c.indexes
      .filter((i) => i.fallback === 'ttl-sweep')
      .map((i) => {
        const def = Object.values(opts.collections).find((d) => d.name === c.name)!.indexes.find((d) => d.name === i.name)!;
        return { collection: c.name, field: Object.keys(def.key)[0]!, seconds: def.expireAfterSeconds! };
      }),
  );
  const sweepExpired = async () => {
    let deleted = 0;
    for (const s of sweeps) {
      // Like MongoDB's TTL monitor: only dates expire ($lt a date matches dates only).
      const res = await db.collection(s.collection).deleteMany({ [s.field]: { $lt: new Date(Date.now() - s.seconds * 1000) } });
      deleted += res.deletedCount;
    }
    return deleted;
  };
  let timer: NodeJS.Timeout | undefined;
  if (sweeps.length > 0) {
    timer = setInterval(() => {
      sweepExpired().catch((err: unknown) => logger.warn({ err }, 'deleting expired documents failed; the next sweep retries'));
    }, opts.ttlSweepIntervalMs ?? 60_000);
    timer.unref();
  }
  return {
    client,
    db,
    collections,
    describe: () => structuredClone(report),
    sweepExpired,
    isReady: () => db.command({ ping: 1 }).then(() => true, () => false),
    close: async () => {
      if (timer) clearInterval(timer);
      await client.close();
    },
  };
}
