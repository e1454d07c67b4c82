import { createHash } from 'node:crypto';

/**
 * Alerts a graph scan raises, built from its findings (pure). Each alert belongs to one tenant and
 * names only that tenant's customers or accounts; a finding spanning tenants gives one alert per
 * tenant. The dedupe key names the finding (its members, hashed when a list), so a later scan of
 * the same finding, in this process or another, raises nothing new, and a grown ring raises anew.
 */
export type GraphAlertKind = 'CYCLE' | 'MULE' | 'RING' | 'SHARED_IDENTIFIERS' | 'FRAUD_PROXIMITY';

export type GraphAlert = {
  tenantId: string;
  kind: GraphAlertKind;
  subjectIds: string[];
  dedupeKey: string;
  details: Record<string, unknown>;
};

type Member = { id: string; tenantId: string };

export type GraphFindings = {
  groups: { identifierKey: string; kind: string; customers: Member[] }[];
  rings: { customers: Member[]; size: number }[];
  cycles: { accountIds: string[]; length: number }[];
  mules: { accountId: string; tenantId: string; currency: string; unrelatedPayers: number; inSum: bigint; outSum: bigint; score: number }[];
  /** Customers within reach of a confirmed fraudster (hops >= 1), with their tenant. */
  proximity: { customerId: string; tenantId: string; hops: number }[];
};

export type AlertThresholds = {
  /** Rings of at least this many customers are raised; default 3. */
  ringMinSize: number;
  /** Customers this many hops or fewer from a confirmed fraudster are raised; default 2. */
  proximityMaxHops: number;
};

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { ringMinSize: 3, proximityMaxHops: 2 };

const digest = (parts: readonly string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);

function byTenant(members: readonly Member[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of members) out.set(m.tenantId, [...(out.get(m.tenantId) ?? []), m.id]);
  return out;
}

export function buildGraphAlerts(f: GraphFindings, accountTenant: ReadonlyMap<string, string>, t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): GraphAlert[] {
  const alerts: GraphAlert[] = [];
  for (const g of f.groups) {
    const all = g.customers.map((c) => c.id).sort();
    for (const [tenantId, ids] of byTenant(g.customers)) {
      alerts.push({
        tenantId,
        kind: 'SHARED_IDENTIFIERS',
        subjectIds: ids.sort(),
        dedupeKey: `shared:${tenantId}:${digest([g.identifierKey, ...all])}`,
        details: { identifierKind: g.kind, customers: all.length },
      });
    }
  }
  for (const r of f.rings.filter((x) => x.size >= t.ringMinSize)) {
    const all = r.customers.map((c) => c.id).sort();
    for (const [tenantId, ids] of byTenant(r.customers)) {
      alerts.push({ tenantId, kind: 'RING', subjectIds: ids.sort(), dedupeKey: `ring:${tenantId}:${digest(all)}`, details: { size: r.size } });
    }
  }
  for (const c of f.cycles) {
    const members = c.accountIds.map((id) => ({ id, tenantId: accountTenant.get(id) ?? '' })).filter((m) => m.tenantId !== '');
    for (const [tenantId, ids] of byTenant(members)) {
      alerts.push({
        tenantId,
        kind: 'CYCLE',
        subjectIds: ids,
        dedupeKey: `cycle:${tenantId}:${digest(c.accountIds)}`,
        details: { length: c.length, accountsInTenant: ids.length },
      });
    }
  }
  for (const m of f.mules) {
    alerts.push({
      tenantId: m.tenantId,
      kind: 'MULE',
      subjectIds: [m.accountId],
      dedupeKey: `mule:${m.tenantId}:${m.accountId}`,
      details: { currency: m.currency, unrelatedPayers: m.unrelatedPayers, inAmount: m.inSum.toString(), outAmount: m.outSum.toString(), score: m.score },
    });
  }
  for (const p of f.proximity.filter((x) => x.hops >= 1 && x.hops <= t.proximityMaxHops)) {
    alerts.push({
      tenantId: p.tenantId,
      kind: 'FRAUD_PROXIMITY',
      subjectIds: [p.customerId],
      dedupeKey: `proximity:${p.tenantId}:${p.customerId}`,
      details: { hops: p.hops },
    });
  }
  return alerts;
}
