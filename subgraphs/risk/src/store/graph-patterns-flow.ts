import neo4j, { type Driver } from 'neo4j-driver';
import {
  canonicalCycle,
  CYCLE_WINDOW_MS,
  isMule,
  MULE_WINDOW_MS,
  muleScore,
  PUBLIC_IDENTIFIER_CUSTOMERS,
  sumAmounts,
} from '../domain/graph-features';
import type { GraphScope } from './graph-patterns';

/** Money moving around a loop of 3 to 5 distinct accounts, back to where it started. */
export type PaymentCycle = { accountIds: string[]; tenantIds: string[]; length: number };

/** Fan-in and fan-out of one account and currency over the 24 h before `now`. */
export type MuleStats = {
  accountId: string;
  tenantId: string;
  currency: string;
  /** Distinct payer accounts whose holder shares no (non-public) identifier with this account's holder. */
  unrelatedPayers: number;
  inSum: bigint;
  outSum: bigint;
  score: number;
  mule: boolean;
};

const READ = { routing: neo4j.routing.READ } as const;

export function createFlowPatterns(driver: Driver) {
  return {
    /**
     * Cycles of PAID edges (each within CYCLE_WINDOW_MS before `now`) through 3 to 5 distinct
     * accounts of the scope, each reported once: spelled from its smallest account id. A quantified
     * path pattern walks 2 to 4 payments out of the smallest account, the last one closes the loop.
     */
    async cycles(scope: GraphScope, now: Date): Promise<PaymentCycle[]> {
      const result = await driver.executeQuery(
        `MATCH (a:Account) WHERE a.tenantId IN $tenantIds
         MATCH (a)((x:Account)-[r:PAID]->(y:Account) WHERE r.at >= $since AND r.at <= $now AND y.tenantId IN $tenantIds AND y.id > a.id){2,4}(b:Account)-[last:PAID]->(a)
         WHERE last.at >= $since AND last.at <= $now
         WITH a, [a] + y AS ns
         WHERE all(n IN ns WHERE n.id >= a.id AND n.tenantId IN $tenantIds)
           AND size(ns) = size(COLLECT { UNWIND ns AS n RETURN DISTINCT n })
         RETURN DISTINCT [n IN ns | n.id] AS ids, [n IN ns | n.tenantId] AS tenants`,
        { tenantIds: scope.tenantIds, since: neo4j.int(now.getTime() - CYCLE_WINDOW_MS), now: neo4j.int(now.getTime()) },
        READ,
      );
      const seen = new Map<string, PaymentCycle>();
      for (const r of result.records) {
        const ids = canonicalCycle(r.get('ids') as string[]);
        const key = ids.join('>');
        if (!seen.has(key)) seen.set(key, { accountIds: ids, tenantIds: [...new Set(r.get('tenants') as string[])].sort(), length: ids.length });
      }
      return [...seen.values()].sort((p, q) => (p.accountIds.join('>') < q.accountIds.join('>') ? -1 : 1));
    },

    /**
     * Per account of the scope that received money in the 24 h before `now`, per currency: the
     * unrelated payers, IN and OUT sums (bigint) and the mule score of models/risk/fraud-features.json.
     * A payer is related when it is the holder's own account or its holder shares a non-public identifier with the holder.
     */
    async muleStats(scope: GraphScope, now: Date): Promise<MuleStats[]> {
      const result = await driver.executeQuery(
        `MATCH (p:Account)-[r:PAID]->(m:Account)
         WHERE r.at > $since AND r.at <= $now AND m.tenantId IN $tenantIds
         OPTIONAL MATCH (mh:Customer)-[:HOLDS]->(m)
         OPTIONAL MATCH (ph:Customer)-[:HOLDS]->(p)
         WITH m, r, p, mh IS NOT NULL AND ph IS NOT NULL AND (mh = ph OR EXISTS {
             MATCH (mh)-[:USES]->(i:Identifier)<-[:USES]-(ph) WHERE COUNT { (i)<-[:USES]-(:Customer) } <= $publicLimit
           }) AS related
         WITH m, r.currency AS currency, collect(r.amount) AS ins, collect(DISTINCT CASE WHEN related THEN null ELSE p.id END) AS unrelated
         CALL (m, currency) {
           OPTIONAL MATCH (m)-[o:PAID]->(:Account) WHERE o.at > $since AND o.at <= $now AND o.currency = currency
           RETURN collect(o.amount) AS outs
         }
         RETURN m.id AS accountId, m.tenantId AS tenantId, currency, ins, outs, size(unrelated) AS unrelated
         ORDER BY accountId, currency`,
        {
          tenantIds: scope.tenantIds,
          since: neo4j.int(now.getTime() - MULE_WINDOW_MS),
          now: neo4j.int(now.getTime()),
          publicLimit: neo4j.int(PUBLIC_IDENTIFIER_CUSTOMERS),
        },
        READ,
      );
      return result.records.map((r) => {
        const inSum = sumAmounts(r.get('ins') as string[]);
        const outSum = sumAmounts(r.get('outs') as string[]);
        const unrelatedPayers = Number(r.get('unrelated'));
        return {
          accountId: r.get('accountId') as string,
          tenantId: r.get('tenantId') as string,
          currency: r.get('currency') as string,
          unrelatedPayers,
          inSum,
          outSum,
          score: muleScore(unrelatedPayers, inSum, outSum),
          mule: isMule(unrelatedPayers, inSum, outSum),
        };
      });
    },
  };
}

export type FlowPatterns = ReturnType<typeof createFlowPatterns>;
