import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { defineCollection } from '@baas/mongo';
import type { SanctionsEntry, SanctionsListId } from '../domain/screening/types';

/** One document per list: which version is active (the sha256 of its source files) and the last versions. */
export type SanctionsListDoc = {
  _id: SanctionsListId;
  version: number;
  sourceSha256: string;
  entryCount: number;
  importedAt: Date;
  history: { version: number; sourceSha256: string; entryCount: number; importedAt: Date }[];
};

/** One listed party of one list version; `ordinal` keeps the file's order. */
export type SanctionsEntryDoc = { _id: string; listId: SanctionsListId; sourceSha256: string; ordinal: number; entry: SanctionsEntry };

export type SanctionsListVersion = { listId: SanctionsListId; version: number; sourceSha256: string; entryCount: number; importedAt: Date };

const LIST_IDS = ['OFAC_SDN', 'UN_CONSOLIDATED', 'PEP'];
const SHA256 = /^[0-9a-f]{64}$/;
const HISTORY_KEPT = 20;
const BATCH = 500;

/**
 * The screening collections. kyc-collections.ts (owned by the flow) registers them by spreading
 * this object into kycCollections: `{ cases: ..., ...sanctionsCollections }`.
 */
export const sanctionsCollections = {
  sanctionsLists: defineCollection<SanctionsListDoc>({
    name: 'kyc_sanctions_lists',
    schema: {
      bsonType: 'object',
      required: ['_id', 'version', 'sourceSha256', 'entryCount', 'importedAt', 'history'],
      properties: {
        _id: { enum: LIST_IDS },
        version: { bsonType: ['int', 'long'], minimum: 1 },
        sourceSha256: { bsonType: 'string', pattern: SHA256.source },
        entryCount: { bsonType: ['int', 'long'], minimum: 0 },
        importedAt: { bsonType: 'date' },
        history: { bsonType: 'array' },
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

const toVersion = (doc: SanctionsListDoc): SanctionsListVersion => ({ listId: doc._id, version: doc.version, sourceSha256: doc.sourceSha256, entryCount: doc.entryCount, importedAt: doc.importedAt });

/**
 * Every MongoDB statement about the sanctions and PEP lists. There are no multi-document
 * transactions here (FerretDB has none), so an import is ordered to be safe to repeat and to
 * interrupt: the new version's entries are written first (upserts by a derived id), then the list's
 * one pointer document is switched with a conditional update (the only step a reader sees), then
 * entries older than the previous version are deleted. A reader that loaded the pointer just before
 * a switch still finds the previous version's entries.
 */
export function createSanctionsListStore(collections: { sanctionsLists: Collection<SanctionsListDoc>; sanctionsEntries: Collection<SanctionsEntryDoc> }) {
  const { sanctionsLists: lists, sanctionsEntries: entries } = collections;

  async function writeEntries(listId: SanctionsListId, sourceSha256: string, listed: readonly SanctionsEntry[]): Promise<void> {
    for (let from = 0; from < listed.length; from += BATCH) {
      const ops: AnyBulkWriteOperation<SanctionsEntryDoc>[] = listed.slice(from, from + BATCH).map((entry, k) => {
        const ordinal = from + k;
        const _id = `${listId}:${sourceSha256}:${ordinal}`;
        return { replaceOne: { filter: { _id }, replacement: { _id, listId, sourceSha256, ordinal, entry }, upsert: true } };
      });
      await entries.bulkWrite(ops, { ordered: false });
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
        const current = await lists.findOne({ _id: listId });
        if (current?.sourceSha256 === sourceSha256) return { changed: false, version: toVersion(current) };
        await writeEntries(listId, sourceSha256, listed);
        const next: SanctionsListDoc = {
          _id: listId,
          version: (current?.version ?? 0) + 1,
          sourceSha256,
          entryCount: listed.length,
          importedAt: now,
          history: [{ version: (current?.version ?? 0) + 1, sourceSha256, entryCount: listed.length, importedAt: now }, ...(current?.history ?? [])].slice(0, HISTORY_KEPT),
        };
        if (current) {
          const switched = await lists.replaceOne({ _id: listId, version: current.version, sourceSha256: current.sourceSha256 }, next);
          if (switched.modifiedCount !== 1) continue; // another import switched it first: look again
        } else {
          try {
            await lists.insertOne(next);
          } catch (err) {
            if ((err as { code?: number }).code === 11000) continue;
            throw err;
          }
        }
        const keep = current ? [sourceSha256, current.sourceSha256] : [sourceSha256];
        await entries.deleteMany({ listId, sourceSha256: { $nin: keep } });
        return { changed: true, version: toVersion(next) };
      }
      throw new Error(`sanctions list ${listId} kept changing during the import; try again`);
    },

    /** The active version of each imported list. */
    async activeVersions(): Promise<SanctionsListVersion[]> {
      return (await lists.find({}).sort({ _id: 1 }).toArray()).map(toVersion);
    },

    /** Every entry of every list's active version, in file order (build the screening index from it). */
    async loadActiveEntries(): Promise<SanctionsEntry[]> {
      const out: SanctionsEntry[] = [];
      for (const list of await lists.find({}).sort({ _id: 1 }).toArray()) {
        const docs = await entries.find({ listId: list._id, sourceSha256: list.sourceSha256 }).sort({ ordinal: 1 }).toArray();
        if (docs.length !== list.entryCount) throw new Error(`sanctions list ${list._id} version ${list.version} has ${docs.length} of ${list.entryCount} entries stored`);
        out.push(...docs.map((d) => d.entry));
      }
      return out;
    },
  };
}

export type SanctionsListStore = ReturnType<typeof createSanctionsListStore>;
