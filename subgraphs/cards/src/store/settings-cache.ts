/**
 * A short-lived, per-process cache of tenants' card settings for the authorisation path (as risk caches
 * its tenant settings and @baas/server its identity standing): a change made here is seen at once (the
 * settings store forgets the tenant when it writes), one made by another instance within `ttlMs`.
 */
export function createSettingsCache<T>(ttlMs = 5_000, maxEntries = 10_000) {
  const entries = new Map<string, { value: T; until: number }>();
  return {
    async get(tenantId: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(tenantId);
      if (hit && hit.until > Date.now()) return hit.value;
      const value = await load();
      if (ttlMs > 0) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(tenantId, { value, until: Date.now() + ttlMs });
      }
      return value;
    },
    forget(tenantId: string): void {
      entries.delete(tenantId);
    },
  };
}

export type SettingsCache<T> = ReturnType<typeof createSettingsCache<T>>;
