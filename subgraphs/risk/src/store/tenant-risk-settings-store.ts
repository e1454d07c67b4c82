import neo4j, { type Driver } from 'neo4j-driver';
import {
  applyRiskSettingsPatch,
  defaultRiskSettings,
  limitsFromStrings,
  limitsToStrings,
  type RiskSettingsPatch,
  type TenantRiskSettings,
} from '../domain/risk-settings';

/**
 * Each tenant's risk settings, one (:RiskSettings {tenantId}) node (absent: the defaults of
 * domain/risk-settings.ts). Read on every scoring, so kept in process for `cacheMs` (default 5 s):
 * a change reaches every risk process within that time (this one at once). Limits are stored as
 * decimal strings (JSON), never floats.
 */
export type TenantRiskSettingsStore = ReturnType<typeof createTenantRiskSettingsStore>;

type Cached = { at: number; value: Promise<TenantRiskSettings> };

export function createTenantRiskSettingsStore(driver: Driver, opts: { cacheMs?: number; clock?: () => number } = {}) {
  const cacheMs = opts.cacheMs ?? 5_000;
  const clock = opts.clock ?? Date.now;
  const cache = new Map<string, Cached>();

  async function load(tenantId: string): Promise<TenantRiskSettings> {
    const result = await driver.executeQuery(
      'MATCH (s:RiskSettings {tenantId: $tenantId}) RETURN s { .* } AS s ORDER BY s.updatedAt DESC LIMIT 1',
      { tenantId },
      { routing: 'READ' },
    );
    const s = result.records[0]?.get('s') as Record<string, unknown> | undefined;
    if (!s) return defaultRiskSettings(tenantId);
    return {
      tenantId,
      reviewAtBps: Number(s.reviewAtBps),
      blockAtBps: Number(s.blockAtBps),
      rules: {
        blockAboveAmount: limitsFromStrings(JSON.parse(String(s.blockAboveAmount ?? '{}')) as Record<string, string | null>),
        blockConfirmedFraud: s.blockConfirmedFraud !== false,
      },
      updatedAt: s.updatedAt ? new Date(String(s.updatedAt)) : null,
    };
  }

  async function fresh(tenantId: string): Promise<TenantRiskSettings> {
    cache.delete(tenantId);
    return get(tenantId);
  }

  function get(tenantId: string): Promise<TenantRiskSettings> {
    const hit = cache.get(tenantId);
    if (hit && clock() - hit.at < cacheMs) return hit.value;
    const value = load(tenantId);
    cache.set(tenantId, { at: clock(), value });
    // A failed read is not remembered.
    value.catch(() => {
      if (cache.get(tenantId)?.value === value) cache.delete(tenantId);
    });
    return value;
  }

  return {
    /** The tenant's settings (cached up to cacheMs), the defaults when it never set any. */
    get,

    /** Changes some settings (checked: thresholds ordered and within 1-10000, ISO currencies, limits >= 0); returns them whole. */
    async set(tenantId: string, patch: RiskSettingsPatch, at: Date = new Date(clock())): Promise<TenantRiskSettings> {
      const next = applyRiskSettingsPatch(await fresh(tenantId), patch, at);
      await driver.executeQuery(
        `MERGE (s:RiskSettings {tenantId: $tenantId})
         SET s.reviewAtBps = $reviewAtBps, s.blockAtBps = $blockAtBps, s.blockAboveAmount = $blockAboveAmount,
             s.blockConfirmedFraud = $blockConfirmedFraud, s.updatedAt = $updatedAt`,
        {
          tenantId,
          reviewAtBps: neo4j.int(next.reviewAtBps),
          blockAtBps: neo4j.int(next.blockAtBps),
          blockAboveAmount: JSON.stringify(limitsToStrings(next.rules.blockAboveAmount)),
          blockConfirmedFraud: next.rules.blockConfirmedFraud,
          updatedAt: at.toISOString(),
        },
        { routing: 'WRITE' },
      );
      cache.set(tenantId, { at: clock(), value: Promise.resolve(next) });
      return next;
    },

    /** For tests: remove a tenant's settings node. */
    async remove(tenantId: string): Promise<void> {
      await driver.executeQuery('MATCH (s:RiskSettings {tenantId: $tenantId}) DELETE s', { tenantId }, { routing: 'WRITE' });
      cache.delete(tenantId);
    },
  };
}
