import neo4j, { type Driver, type Integer } from 'neo4j-driver';

/**
 * What the platform knows for the credit scorecard (models/risk/credit-scorecard.json), read from
 * the risk graph's money flows: the PAID edges into and out of the customer's accounts (the ledger's
 * posted transfers), in one currency. A transfer between the customer's own accounts is neither
 * income nor spending and is left out. The raw row is in the scorecard's order; `null` marks an
 * input the platform does not know (the use case scores it at its neutral bin):
 *
 * | # | input | source |
 * |---|---|---|
 * | 0 | account_age_months | not known to risk (accounts holds opening dates): null |
 * | 1 | monthly_inflow_log | log1p(third-party inflows of the last 180 days / 6) |
 * | 2 | months_with_income_6m | 30-day periods of the last 6 with a third-party inflow |
 * | 3 | avg_balance_90d_log | not known to risk (no daily balances): null |
 * | 4 | days_negative_90d | 0: customer accounts cannot go negative (DEBITS_MUST_NOT_EXCEED_CREDITS) |
 * | 5 | outflow_inflow_ratio_90d | outflows / inflows over 90 days, capped at 5; 5 without inflows |
 * | 6 | failed_payments_90d | not known to risk (refusals are not in the graph): null |
 * | 7 | card_utilisation | not known to risk (cards are not in the graph): null |
 *
 * A customer the graph does not know (no account held) has every flow input null. Amounts are
 * summed as bigint; only the model's inputs are floats.
 */
export type CreditFlows = {
  /** Accounts the customer holds in the graph. */
  accounts: number;
  /** Third-party inflows: amount (minor units) and when (epoch ms). */
  inflows: { amount: bigint; at: number }[];
  /** Outflows to others in the last 90 days (minor units). */
  outflows90d: bigint;
};

export type CreditRawRow = (number | null)[];

const DAY_MS = 24 * 60 * 60 * 1000;
const PERIOD_MS = 30 * DAY_MS;
const RATIO_CAP = 5;

/** The scorecard's raw row from the flows at `now` (pure; see the table above). */
export function creditRowFromFlows(flows: CreditFlows | null, now: Date): CreditRawRow {
  if (!flows || flows.accounts === 0) return [null, null, null, null, 0, null, null, null];
  const t = now.getTime();
  let in180 = 0n;
  let in90 = 0n;
  const periods = new Set<number>();
  for (const f of flows.inflows) {
    const age = t - f.at;
    if (age < 0 || age >= 6 * PERIOD_MS) continue;
    in180 += f.amount;
    if (age < 90 * DAY_MS) in90 += f.amount;
    if (f.amount > 0n) periods.add(Math.floor(age / PERIOD_MS));
  }
  const monthlyMean = in180 / 6n;
  // The ratio from the bigint sums to six decimals (the bin edges are multiples of 1/16), then capped.
  const ratio = in90 === 0n ? RATIO_CAP : Math.min(RATIO_CAP, Number((flows.outflows90d * 1_000_000n) / in90) / 1_000_000);
  return [null, Math.log1p(Number(monthlyMean)), periods.size, null, 0, ratio, null, null];
}

const num = (v: unknown): number => (neo4j.isInt(v) ? (v as Integer).toNumber() : Number(v));

export function createCreditInputsStore(driver: Driver) {
  return {
    /** The customer's flows in `currency` over the 180 days before `now`; null when the graph does not know the customer in that tenant. */
    async readFlows(q: { tenantId: string; customerId: string; currency: string; now: Date }): Promise<CreditFlows | null> {
      const now = q.now.getTime();
      const result = await driver.executeQuery(
        `MATCH (c:Customer {id: $customerId}) WHERE c.tenantId = $tenantId
         OPTIONAL MATCH (c)-[:HOLDS]->(a:Account)
         WITH collect(a) AS own
         RETURN size(own) AS accounts,
           COLLECT { UNWIND own AS a
                     MATCH (p:Account)-[r:PAID]->(a)
                     WHERE r.at >= $since180 AND r.at <= $now AND r.currency = $currency AND NOT p IN own
                     RETURN [r.amount, r.at] } AS inflows,
           COLLECT { UNWIND own AS a
                     MATCH (a)-[r:PAID]->(q:Account)
                     WHERE r.at >= $since90 AND r.at <= $now AND r.currency = $currency AND NOT q IN own
                     RETURN r.amount } AS outflows`,
        {
          tenantId: q.tenantId,
          customerId: q.customerId,
          currency: q.currency,
          now: neo4j.int(now),
          since180: neo4j.int(now - 180 * DAY_MS),
          since90: neo4j.int(now - 90 * DAY_MS),
        },
        { routing: neo4j.routing.READ },
      );
      const record = result.records[0];
      if (!record) return null;
      const inflows = (record.get('inflows') as [string, unknown][]).map(([amount, at]) => ({ amount: BigInt(amount), at: num(at) }));
      const outflows90d = (record.get('outflows') as string[]).reduce((sum, amount) => sum + BigInt(amount), 0n);
      return { accounts: num(record.get('accounts')), inflows, outflows90d };
    },
  };
}

export type CreditInputsStore = ReturnType<typeof createCreditInputsStore>;
