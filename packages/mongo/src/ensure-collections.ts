import { MongoServerError, type CreateIndexesOptions, type Db, type Document } from 'mongodb';
import type { Logger } from '@baas/observability';
import type { CollectionDefinition, IndexDefinition } from './define-collection';

type IndexOption = 'unique' | 'expireAfterSeconds' | 'sparse' | 'partialFilterExpression';

export type ValidationReport = { requested: boolean; enforced: boolean; reason?: string };

export type IndexReport = {
  name: string;
  key: IndexDefinition['key'];
  /** Every requested option is in force on the server. */
  enforced: boolean;
  /** Requested options the server refused or dropped. */
  notEnforced: IndexOption[];
  /** What stands in for them: `ttl-sweep` (the store deletes expired documents itself), `full-index` (a plain index over every document). */
  fallback?: 'ttl-sweep' | 'full-index';
  reason?: string;
};

export type CollectionReport = { name: string; validation: ValidationReport; indexes: IndexReport[] };

/** The server cannot give what a definition requires (a unique index, or a partial/sparse unique one), or an index of that name differs. */
export class MongoSetupError extends Error {
  override name = 'MongoSetupError';
}

// NotImplemented (FerretDB's answer), CommandNotFound, CommandNotSupported, InvalidIndexSpecificationOption.
const UNSUPPORTED = new Set([238, 59, 115, 197]);
const NAMESPACE_EXISTS = 48;
const CONFLICTS = new Set([85, 86]); // IndexOptionsConflict, IndexKeySpecsConflict
// The order in which optional index options are given up, the least harmful first.
const DROPPABLE: readonly IndexOption[] = ['expireAfterSeconds', 'partialFilterExpression', 'sparse'];

const isUnsupported = (err: unknown) => err instanceof MongoServerError && UNSUPPORTED.has(Number(err.code));
const codeOf = (err: unknown) => (err instanceof MongoServerError ? Number(err.code) : undefined);
/** The server's code name only: its messages can carry internals (FerretDB prints Go pointers) and vary from call to call. */
const codeNameOf = (err: unknown) => (err instanceof MongoServerError ? String(err.codeName ?? err.code) : 'unknown error');
const reasonOf = (what: string, err: unknown) => `the server refused ${what} (${codeNameOf(err)})`;

/**
 * Creates each collection, its JSON-schema validator and its indexes where missing (safe to run on
 * every start and from several processes at once), and reports what the server does not enforce.
 * Rules: a refused validator leaves the collection unvalidated (reported, warned); a refused TTL
 * becomes a plain index that the store sweeps itself; a refused partial or sparse option on a
 * non-unique index becomes a full index; anything that would weaken uniqueness stops the start
 * (MongoSetupError). Options a server accepts but silently drops are found by reading the index
 * back, and handled the same way.
 */
export async function ensureCollections(opts: { db: Db; definitions: readonly CollectionDefinition[]; logger: Logger }): Promise<CollectionReport[]> {
  const reports: CollectionReport[] = [];
  for (const def of opts.definitions) {
    const validation = await ensureCollection(opts.db, def);
    const indexes: IndexReport[] = [];
    for (const index of def.indexes) indexes.push(await ensureIndex(opts.db, def.name, index));
    const report = { name: def.name, validation, indexes };
    reports.push(report);
    if (validation.requested && !validation.enforced) {
      opts.logger.warn({ collection: def.name, reason: validation.reason }, 'MongoDB does not enforce this collection\'s JSON schema; documents are not validated by the server');
    }
    for (const index of indexes.filter((i) => !i.enforced)) {
      opts.logger.warn({ collection: def.name, index: index.name, notEnforced: index.notEnforced, fallback: index.fallback, reason: index.reason }, 'MongoDB does not enforce part of this index');
    }
  }
  return reports;
}

async function ensureCollection(db: Db, def: CollectionDefinition): Promise<ValidationReport> {
  const exists = (await db.listCollections({ name: def.name }, { nameOnly: true }).toArray()).length > 0;
  const createPlain = () => db.createCollection(def.name).catch((err: unknown) => {
    if (codeOf(err) !== NAMESPACE_EXISTS) throw err;
  });
  if (!def.schema) {
    if (!exists) await createPlain();
    return { requested: false, enforced: false };
  }
  const validator = { $jsonSchema: def.schema };
  const settings = { validationLevel: 'strict', validationAction: 'error' } as const;
  let refused: unknown;
  const collMod = () => db.command({ collMod: def.name, validator, ...settings }).catch((err: unknown) => {
    if (!isUnsupported(err)) throw err;
    refused = err;
  });
  if (exists) {
    await collMod();
  } else {
    await db.createCollection(def.name, { validator, ...settings }).catch(async (err: unknown) => {
      if (codeOf(err) === NAMESPACE_EXISTS) return collMod();
      if (!isUnsupported(err)) throw err;
      refused = err;
      return createPlain();
    });
  }
  const [info] = await db.listCollections({ name: def.name }).toArray();
  const options = (info as { options?: Document } | undefined)?.options;
  if (options?.validator) return { requested: true, enforced: true };
  return { requested: true, enforced: false, reason: refused ? reasonOf('the validator', refused) : 'the server accepted the validator but does not keep it' };
}

const requested = (index: IndexDefinition): IndexOption[] =>
  (['unique', 'expireAfterSeconds', 'sparse', 'partialFilterExpression'] as const).filter((o) => index[o] !== undefined && index[o] !== false);

async function ensureIndex(db: Db, collection: string, index: IndexDefinition): Promise<IndexReport> {
  const wanted = requested(index);
  const dropped: IndexOption[] = [];
  let reason: string | undefined;
  const optionsWithout = (): CreateIndexesOptions => {
    const o: CreateIndexesOptions = { name: index.name };
    for (const option of wanted.filter((w) => !dropped.includes(w))) (o as Record<string, unknown>)[option] = index[option];
    return o;
  };
  for (;;) {
    try {
      await db.collection(collection).createIndex(index.key, optionsWithout());
      break;
    } catch (err) {
      if (CONFLICTS.has(codeOf(err) ?? 0)) {
        throw new MongoSetupError(`index ${collection}.${index.name} exists with another key or options (${codeNameOf(err)}); drop it deliberately, or declare the new one under a new name`);
      }
      const next = DROPPABLE.find((o) => wanted.includes(o) && !dropped.includes(o) && !(index.unique && o !== 'expireAfterSeconds'));
      if (!isUnsupported(err) || next === undefined) {
        throw new MongoSetupError(`MongoDB cannot create index ${collection}.${index.name} as declared (${codeNameOf(err)}: ${err instanceof Error ? err.message.slice(0, 200) : ''})`);
      }
      reason ??= reasonOf(next, err);
      dropped.push(next);
    }
  }
  // Read it back: a server may accept an option and not keep it (FerretDB drops `sparse`).
  const onServer = (await db.collection(collection).listIndexes().toArray()).find((i) => i.name === index.name) as Document | undefined;
  const kept: Record<IndexOption, boolean> = {
    unique: onServer?.unique === true,
    expireAfterSeconds: onServer?.expireAfterSeconds === index.expireAfterSeconds,
    sparse: onServer?.sparse === true,
    partialFilterExpression: onServer?.partialFilterExpression !== undefined,
  };
  const notEnforced = wanted.filter((o) => !kept[o]);
  if (notEnforced.some((o) => o !== 'expireAfterSeconds') && index.unique) {
    throw new MongoSetupError(`MongoDB does not keep ${notEnforced.join(', ')} on unique index ${collection}.${index.name}; uniqueness cannot be enforced as declared`);
  }
  const report: IndexReport = { name: index.name, key: index.key, enforced: notEnforced.length === 0, notEnforced };
  if (notEnforced.includes('expireAfterSeconds')) report.fallback = 'ttl-sweep';
  else if (notEnforced.length > 0) report.fallback = 'full-index';
  if (notEnforced.length > 0) report.reason = reason ?? 'the server accepted the option but does not keep it';
  return report;
}
