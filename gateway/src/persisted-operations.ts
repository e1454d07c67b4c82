import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Automatic persisted queries (APQ) and trusted documents.
 *
 * APQ is Apollo Server's own (`extensions.persistedQuery { version: 1, sha256Hash }`, GET or POST;
 * an unknown hash is PERSISTED_QUERY_NOT_FOUND and the client sends the query with the hash once).
 * Its cache here answers every operation of the manifest (schema/persisted-operations.json, the
 * typed SDK's operations) from the first request, then what clients registered (in memory, per
 * gateway instance, bounded).
 *
 * Trusted documents (GATEWAY_TRUSTED_DOCUMENTS=true): only the manifest's operations run, sent
 * either by hash or in full; anything else is PERSISTED_QUERY_NOT_ALLOWED and is never registered.
 */

export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** Apollo's persisted query manifest format (what @apollo/generate-persisted-query-manifest writes). */
export type PersistedOperation = { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string };
export type PersistedOperationManifest = { format: 'apollo-persisted-query-manifest'; version: 1; operations: PersistedOperation[] };

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads a manifest and checks each id is the sha256 of its body (a hand-edited entry cannot smuggle a document in). */
export function readPersistedOperations(path: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as PersistedOperationManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) throw new Error(`${path}: not an apollo-persisted-query-manifest version 1`);
  const out = new Map<string, string>();
  for (const op of manifest.operations) {
    if (sha256Hex(op.body) !== op.id) throw new Error(`${path}: the id of operation ${op.name} is not the sha256 of its body`);
    out.set(op.id, op.body);
  }
  return out;
}

/** The KeyValueCache Apollo's APQ uses: the manifest first, then registered documents (least recently set dropped first). */
export class PersistedQueryCache {
  private readonly registered = new Map<string, string>();
  constructor(
    private readonly manifest: ReadonlyMap<string, string>,
    private readonly maxEntries = 10_000,
  ) {}

  /** Apollo prefixes the keys of the cache it is given (`apq:<sha256>`). */
  private static hashOf(key: string): string {
    return key.startsWith('apq:') ? key.slice(4) : key;
  }

  async get(key: string): Promise<string | undefined> {
    const hash = PersistedQueryCache.hashOf(key);
    return this.manifest.get(hash) ?? this.registered.get(hash);
  }

  async set(key: string, value: string): Promise<void> {
    key = PersistedQueryCache.hashOf(key);
    if (this.manifest.has(key)) return;
    this.registered.delete(key);
    this.registered.set(key, value);
    if (this.registered.size > this.maxEntries) this.registered.delete(this.registered.keys().next().value!);
  }

  async delete(key: string): Promise<boolean> {
    return this.registered.delete(PersistedQueryCache.hashOf(key));
  }
}

/** Refuses every operation whose sha256 is not in the manifest (before it is executed or registered). */
export function trustedDocumentsPlugin<T extends BaseContext>(manifest: ReadonlyMap<string, string>): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash }) {
          if (manifest.has(queryHash)) return;
          throw new GraphQLError('This gateway runs only registered operations (trusted documents); this one is not in the manifest.', {
            extensions: { code: PERSISTED_QUERY_NOT_ALLOWED, http: { status: 400 } },
          });
        },
      };
    },
  };
}

/** Apollo Server options for APQ (always on) and trusted documents (when `trusted`). */
export function persistedQueryOptions<T extends BaseContext>(opts: { manifestPath: string; trusted: boolean }) {
  let manifest: Map<string, string>;
  try {
    manifest = readPersistedOperations(opts.manifestPath);
  } catch (error) {
    if (opts.trusted) throw error;
    manifest = new Map();
  }
  return {
    persistedQueries: { cache: new PersistedQueryCache(manifest) },
    plugins: opts.trusted ? [trustedDocumentsPlugin<T>(manifest)] : [],
  };
}
