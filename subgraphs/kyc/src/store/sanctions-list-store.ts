import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { defineCollection } from '@baas/mongo';
import type { SanctionsEntry, SanctionsListId } from '../domain/screening/types';

/** One document per imported version of a list; the highest version of a list is its active one. */
export type SanctionsListVersionDoc = {
  /** `${listId}:${version}`: the unique _id is what makes two imports of the same next version impossible. */
  _id: string;
  listId: SanctionsListId;
  version: number;
  sourceSha256: string;
  entryCount: number;
  importedAt: Date;
};

/** One listed party of one list version; `ordinal` keeps the file's order. */
export type SanctionsEntryDoc = { _id: string; listId: SanctionsListId; sourceSha256: string; ordinal: number; entry: SanctionsEntry };

export type SanctionsListVersion = { listId: SanctionsListId; version: number; sourceSha256: string; entryCount: number; importedAt: Date };

const LIST_IDS = ['OFAC_SDN', 'UN_CONSOLIDATED', 'PEP'];
const SHA256 = /^[0-9a-f]{64}$/;
const BATCH = 500;

/**
 * The screening collections. kyc-collections.ts (owned by the flow) registers them by spreading
 * this object into kycCollections: `{ cases: ..., ...sanctionsCollections }`.
 */
export const sanctionsCollections = {
  sanctionsListVersions: defineCollection<SanctionsListVersionDoc>({
    name: 'kyc_sanctions_list_versions',
    indexes: [{ name: 'list_version', key: { listId: 1, version: -1 } }],
    schema: {
      bsonType: 'object',
      required: ['_id', 'listId', 'version', 'sourceSha256', 'entryCount', 'importedAt'],
      properties: {
        _id: { bsonType: 'string' },
        listId: { enum: LIST_IDS },
        version: { bsonType: ['int', 'long'], minimum: 1 },
        sourceSha256: { bsonType: 'string', pattern: SHA256.source },
        entryCount: { bsonType: ['int', 'long'], minimum: 0 },
        importedAt: { bsonType: 'date' },
      },
    },
  }),
  sanctionsEntries: defineCollection<SanctionsEntryDoc>({
    name: 'kyc_sanctions_entries',
    indexes: [{ name: 'list_version_ordinal', key: { listId: 1, sourceSha256: 1, ordinal: 1 } }],
    schema: {
      bsonType: 'object',
      required: ['_id', 'listId', 'sourceSha256', 'ordinal', 'entry'],
      properties: {
        _id: { bsonType: 'string' },
        listId: { enum: LIST_IDS },
        sourceSha256: { bsonType: 'string', pattern: SHA256.source },
        ordinal: { bsonType: ['int', 'long'], minimum: 0 },
        entry: { bsonType: 'object', required: ['list', 'sourceId', 'kind', 'name'] },
      },
    },
  }),
};

const toVersion = (doc: SanctionsListVersionDoc): SanctionsListVersion => ({ listId: doc.listId, version: doc.version, sourceSha256: doc.sourceSha256, entryCount: doc.entryCount, importedAt: doc.importedAt });

/**
 * Every MongoDB statement about the sanctions and PEP lists. There are no multi-document
 * transactions here (FerretDB has none, and its conditional updates are not atomic), so an import
 * is ordered to be safe to repeat, to interrupt and to run twice at once: the new version's entries
 * are written first (upserts by a derived id), then the version document is inserted under the
 * unique _id `${listId}:${next version}` (the only step a reader sees; of two imports racing for
 * the same version one inserts and the other looks again), then the entries of versions before the
 * previous one are deleted. A reader that read the active version just before a switch still finds
 * the previous version's entries.
 */
export function createSanctionsListStore(collections: { sanctionsListVersions: Collection<SanctionsListVersionDoc>; sanctionsEntries: Collection<SanctionsEntryDoc> }) {
  const { sanctionsListVersions: versions, sanctionsEntries: entries } = collections;

  const activeOf = (listId: SanctionsListId) => versions.findOne({ listId }, { sort: { version: -1 } });

  async function activeVersions(): Promise<SanctionsListVersion[]> {
    const active = await Promise.all(LIST_IDS.map((id) => activeOf(id as SanctionsListId)));
    return active.filter((v): v is SanctionsListVersionDoc => v !== null).map(toVersion);
  }

  /** Deletes the entries of versions older than the previous one (never of a version not yet registered). */
  async function deleteOldEntries(listId: SanctionsListId, active: number): Promise<void> {
    const all = await versions.find({ listId }).toArray();
    const keep = new Set(all.filter((v) => v.version >= active - 1).map((v) => v.sourceSha256));
    const old = [...new Set(all.filter((v) => !keep.has(v.sourceSha256)).map((v) => v.sourceSha256))];
    if (old.length > 0) await entries.deleteMany({ listId, sourceSha256: { $in: old } });
  }

  async function writeEntries(listId: SanctionsListId, sourceSha256: string, listed: readonly SanctionsEntry[]): Promise<void> {
    for (let from = 0; from < listed.length; from += BATCH) {
      const ops: AnyBulkWriteOperation<SanctionsEntryDoc>[] = listed.slice(from, from + BATCH).map((entry, k) => {
        const ordinal = from + k;
        const _id = `${listId}:${sourceSha256}:${ordinal}`;
        return { replaceOne: { filter: { _id }, replacement: { _id, listId, sourceSha256, ordinal, entry }, upsert: true } };
      });
      await upsertWithRetry(ops);
    }
  }

  /** Two concurrent upserts of one new _id can both try to insert it; the loser's retry replaces (as MongoDB advises). */
  async function upsertWithRetry(ops: AnyBulkWriteOperation<SanctionsEntryDoc>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await entries.bulkWrite(ops, { ordered: false });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000 || attempt >= 3) throw err;
      }
    }
  }

  return {
    /**
     * Makes `entries` the active version of `listId` unless the active version already has this
     * source sha256; `changed` says whether the active version moved (the flow rescreens when it did).
     */
    async importListVersion(listId: SanctionsListId, sourceSha256: string, listed: readonly SanctionsEntry[], now: Date = new Date()): Promise<{ changed: boolean; version: SanctionsListVersion }> {
      if (!LIST_IDS.includes(listId)) throw new Error(`unknown sanctions list ${listId}`);
      if (!SHA256.test(sourceSha256)) throw new Error('sourceSha256 must be 64 lower-case hex digits');
      if (listed.some((e) => e.list !== listId)) throw new Error(`every entry must belong to ${listId}`);
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await activeOf(listId);
        if (current?.sourceSha256 === sourceSha256) return { changed: false, version: toVersion(current) };
        await writeEntries(listId, sourceSha256, listed);
        const version = (current?.version ?? 0) + 1;
        const next: SanctionsListVersionDoc = { _id: `${listId}:${version}`, listId, version, sourceSha256, entryCount: listed.length, importedAt: now };
        try {
          await versions.insertOne(next);
        } catch (err) {
          if ((err as { code?: number }).code === 11000) continue; // another import took this version: look again
          throw err;
        }
        await deleteOldEntries(listId, version);
        return { changed: true, version: toVersion(next) };
      }
      throw new Error(`sanctions list ${listId} kept changing during the import; try again`);
    },

    /** The active version of each imported list. */
    activeVersions,

    /** Every imported version of a list, newest first. */
    async listVersions(listId: SanctionsListId): Promise<SanctionsListVersion[]> {
      return (await versions.find({ listId }).sort({ version: -1 }).toArray()).map(toVersion);
    },

    /** Every entry of every list's active version, in file order (build the screening index from it). */
    async loadActiveEntries(): Promise<SanctionsEntry[]> {
      const out: SanctionsEntry[] = [];
      for (const list of await activeVersions()) {
        const docs = await entries.find({ listId: list.listId, sourceSha256: list.sourceSha256 }).sort({ ordinal: 1 }).toArray();
        if (docs.length !== list.entryCount) throw new Error(`sanctions list ${list.listId} version ${list.version} has ${docs.length} of ${list.entryCount} entries stored`);
        out.push(...docs.map((d) => d.entry));
      }
      return out;
    },
  };
}

export type SanctionsListStore = ReturnType<typeof createSanctionsListStore>;
