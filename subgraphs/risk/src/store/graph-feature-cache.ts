import type { Redis } from 'ioredis';

/**
 * The graph features the scans precompute (workers/graph-scan.ts writes them) and the scoring path
 * reads (use-cases/score-transaction.ts), so that scoring never waits on a multi-hop Cypher query.
 * One Redis hash per customer and per account; a key that is absent (never scanned, or expired)
 * reads as null and the caller sends the feature's 'absent' value (models/risk/fraud-features.json).
 *
 * Account ids here are the graph's account ids (the ledger's account ids).
 */
export type CustomerGraphFeatures = { sharedIdentifierDegree: number; ringSize: number; fraudDistance: number };
export type AccountGraphFeatures = { fraudDistance: number; muleScore: number };

export type GraphFeatureCache = ReturnType<typeof createGraphFeatureCache>;

const DEFAULT_PREFIX = 'risk:gf';
/** A scan that stops running lets its features age out rather than be trusted forever. */
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

function num(v: string | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function customerFrom(fields: Record<string, string> | null): CustomerGraphFeatures | null {
  if (!fields) return null;
  const sharedIdentifierDegree = num(fields.sid);
  const ringSize = num(fields.ring);
  const fraudDistance = num(fields.fd);
  if (sharedIdentifierDegree === null || ringSize === null || fraudDistance === null) return null;
  return { sharedIdentifierDegree, ringSize, fraudDistance };
}

function accountFrom(fields: Record<string, string> | null): AccountGraphFeatures | null {
  if (!fields) return null;
  const fraudDistance = num(fields.fd);
  const muleScore = num(fields.mule);
  if (fraudDistance === null || muleScore === null) return null;
  return { fraudDistance, muleScore };
}

function assertFinite(values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) if (!Number.isFinite(v)) throw new TypeError(`graph feature ${k} is not finite: ${v}`);
}

export function createGraphFeatureCache(redis: Redis, opts: { prefix?: string; ttlSeconds?: number } = {}) {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const ttl = opts.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const customerKey = (id: string) => `${prefix}:c:${id}`;
  const accountKey = (id: string) => `${prefix}:a:${id}`;

  async function writeHash(key: string, fields: Record<string, string>): Promise<void> {
    // One round trip; the hash is replaced whole so a field never mixes two scans.
    const res = await redis.multi().del(key).hset(key, fields).expire(key, ttl).exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  return {
    async writeCustomer(customerId: string, f: CustomerGraphFeatures): Promise<void> {
      assertFinite(f);
      await writeHash(customerKey(customerId), { sid: String(f.sharedIdentifierDegree), ring: String(f.ringSize), fd: String(f.fraudDistance) });
    },

    async writeAccount(accountId: string, f: AccountGraphFeatures): Promise<void> {
      assertFinite(f);
      await writeHash(accountKey(accountId), { fd: String(f.fraudDistance), mule: String(f.muleScore) });
    },

    /** One round trip (a pipeline of HGETALLs). */
    async read(q: { customerId: string; payerAccountId: string; payeeAccountId: string | null }): Promise<{ customer: CustomerGraphFeatures | null; payer: AccountGraphFeatures | null; payee: AccountGraphFeatures | null }> {
      const p = redis.pipeline().hgetall(customerKey(q.customerId)).hgetall(accountKey(q.payerAccountId));
      if (q.payeeAccountId !== null) p.hgetall(accountKey(q.payeeAccountId));
      const res = (await p.exec()) ?? [];
      const hash = (i: number): Record<string, string> | null => {
        const entry = res[i];
        if (!entry) return null;
        if (entry[0]) throw entry[0];
        const h = entry[1] as Record<string, string>;
        return h && Object.keys(h).length > 0 ? h : null;
      };
      return { customer: customerFrom(hash(0)), payer: accountFrom(hash(1)), payee: q.payeeAccountId === null ? null : accountFrom(hash(2)) };
    },

    /** For tests and operators: forget one customer's or account's features. */
    async forget(ids: { customerIds?: readonly string[]; accountIds?: readonly string[] }): Promise<void> {
      const keys = [...(ids.customerIds ?? []).map(customerKey), ...(ids.accountIds ?? []).map(accountKey)];
      if (keys.length > 0) await redis.del(...keys);
    },
  };
}
