import DataLoader from 'dataloader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else is answered without touching a store. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A per-request DataLoader by primary key: one batched fetch for every id asked in the same tick
 * (entity references from the gateway arrive as such batches), results in the order asked.
 */
export function createByIdLoader<K, T extends { id: K }>(fetchMany: (ids: K[]) => Promise<T[]>): DataLoader<K, T | null> {
  return new DataLoader<K, T | null>(async (ids) => {
    const rows = await fetchMany([...ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Like createByIdLoader, for one-to-many: every row whose `key` is asked, grouped, in fetch order. */
export function createGroupLoader<K, T>(key: (row: T) => K, fetchMany: (keys: K[]) => Promise<T[]>): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
    const grouped = new Map<K, T[]>();
    for (const row of await fetchMany([...keys])) {
      const k = key(row);
      const list = grouped.get(k);
      if (list) list.push(row);
      else grouped.set(k, [row]);
    }
    return keys.map((k) => grouped.get(k) ?? []);
  });
}
