import { NatsError, StorageType, nanos } from 'nats';
import type { JetStreamManager, StreamConfig } from 'nats';
import type { StreamDefinition } from './types';

const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

/**
 * Creates the stream with file storage, or brings an existing one's subjects, duplicate window and
 * max age in line with `def`. Calling it again with the same definition changes nothing.
 */
export async function ensureStream(jsm: JetStreamManager, def: StreamDefinition): Promise<void> {
  if (def.subjects.length === 0) throw new TypeError(`stream ${def.name}: subjects must not be empty`);
  const maxAge = def.maxAgeMs ? nanos(def.maxAgeMs) : 0;
  // The server rejects a duplicate window longer than the max age, so the default shrinks to fit.
  const duplicateWindowMs = def.duplicateWindowMs ?? Math.min(DEFAULT_DUPLICATE_WINDOW_MS, def.maxAgeMs || Infinity);
  const wanted = { subjects: [...def.subjects], duplicate_window: nanos(duplicateWindowMs), max_age: maxAge };

  const existing = await streamConfig(jsm, def.name);
  if (!existing) {
    try {
      await jsm.streams.add({ name: def.name, storage: StorageType.File, ...wanted });
      return;
    } catch (err) {
      // Another instance created it between our lookup and our add: fall through to update.
      if (apiErrorCode(err) !== STREAM_NAME_IN_USE) throw err;
    }
  }
  const current = existing ?? (await streamConfig(jsm, def.name));
  if (!current) throw new Error(`stream ${def.name} vanished during provisioning`);
  if (current.storage !== StorageType.File) {
    throw new Error(`stream ${def.name} exists with ${current.storage} storage; storage cannot be changed in place`);
  }
  if (sameConfig(current, wanted)) return;
  await jsm.streams.update(def.name, wanted);
}

async function streamConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if (apiErrorCode(err) === STREAM_NOT_FOUND) return undefined;
    throw err;
  }
}

function sameConfig(current: StreamConfig, wanted: Pick<StreamConfig, 'subjects' | 'duplicate_window' | 'max_age'>): boolean {
  const a = [...(current.subjects ?? [])].sort();
  const b = [...wanted.subjects].sort();
  return (
    a.length === b.length &&
    a.every((subject, i) => subject === b[i]) &&
    current.duplicate_window === wanted.duplicate_window &&
    current.max_age === wanted.max_age
  );
}

/** The JetStream API error code of a failed request, if it is one. */
export function apiErrorCode(err: unknown): number | undefined {
  return err instanceof NatsError ? err.api_error?.err_code : undefined;
}
