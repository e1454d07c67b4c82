import type { Document } from 'mongodb';

export type IndexDefinition = {
  /** Stable name: an index is found again (and compared) by it. */
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  /** TTL: documents whose (single, date) key field is older than this are deleted. */
  expireAfterSeconds?: number;
  sparse?: boolean;
  partialFilterExpression?: Document;
};

/** A collection, its document type (a phantom: checked by TypeScript), its indexes and its $jsonSchema. */
export type CollectionDefinition<TDoc extends Document = Document> = {
  name: string;
  indexes: readonly IndexDefinition[];
  /** The `$jsonSchema` validator, enforced on insert and update where the server supports it. */
  schema?: Document;
  /** Never set: carries TDoc to the typed collection. */
  readonly __doc?: TDoc;
};

const NAME = /^[A-Za-z0-9_.-]{1,120}$/;

/** Checks a definition once, where it is declared: names, TTL on a single field, no duplicate index names. */
export function defineCollection<TDoc extends Document>(def: Omit<CollectionDefinition<TDoc>, '__doc' | 'indexes'> & { indexes?: readonly IndexDefinition[] }): CollectionDefinition<TDoc> {
  if (!NAME.test(def.name) || def.name.startsWith('system.')) throw new Error(`collection name ${JSON.stringify(def.name)} is not allowed`);
  const indexes = def.indexes ?? [];
  const names = new Set<string>();
  for (const index of indexes) {
    if (!NAME.test(index.name) || index.name === '_id_') throw new Error(`index name ${JSON.stringify(index.name)} is not allowed on ${def.name}`);
    if (names.has(index.name)) throw new Error(`index ${index.name} is declared twice on ${def.name}`);
    names.add(index.name);
    if (Object.keys(index.key).length === 0) throw new Error(`index ${index.name} on ${def.name} has no key`);
    if (index.expireAfterSeconds !== undefined) {
      if (Object.keys(index.key).length !== 1) throw new Error(`TTL index ${index.name} on ${def.name} must have one field`);
      if (!Number.isInteger(index.expireAfterSeconds) || index.expireAfterSeconds < 0) throw new Error(`TTL index ${index.name} on ${def.name} needs whole seconds >= 0`);
    }
  }
  return { name: def.name, indexes, ...(def.schema ? { schema: def.schema } : {}) };
}
