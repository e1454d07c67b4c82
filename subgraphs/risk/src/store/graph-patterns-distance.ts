import neo4j, { type Driver } from 'neo4j-driver';
import { HUB_COUNTERPARTIES, HUB_WINDOW_MS, MAX_FRAUD_HOPS, PUBLIC_IDENTIFIER_CUSTOMERS } from '../domain/graph-features';
import type { GraphScope } from './graph-patterns';

/**
 * Hops from each customer and account to the nearest confirmed fraudster, up to MAX_FRAUD_HOPS.
 * A party is a customer together with the accounts it holds (an outside account, with no holder,
 * is a party of its own); one hop is a non-public identifier two customers share, or a PAID edge
 * in either direction. Hubs (accounts with more than HUB_COUNTERPARTIES counterparties in the last
 * 30 days: merchants, settlement accounts) are neither reached nor crossed. Breadth-first from every
 * marked party of the scope at once, one query per hop: plain Cypher, no GDS.
 */
export type FraudDistances = {
  /** Customers within MAX_FRAUD_HOPS (0 = marked itself); absent = farther or unconnected. */
  customers: Map<string, number>;
  /** Accounts within MAX_FRAUD_HOPS: a held account has its holder's distance. */
  accounts: Map<string, number>;
};

const READ = { routing: neo4j.routing.READ } as const;

const HUB = (v: string) => `COUNT { MATCH (${v})-[q:PAID]-(z:Account) WHERE q.at >= $hubSince RETURN DISTINCT z } > $hubLimit`;

const SOURCES = `
  MATCH (c:Customer) WHERE c.confirmedFraud = true AND c.tenantId IN $tenantIds
  RETURN c.id AS customer, null AS account
  UNION
  MATCH (a:Account) WHERE a.confirmedFraud = true AND a.tenantId IN $tenantIds
  OPTIONAL MATCH (h:Customer)-[:HOLDS]->(a)
  RETURN h.id AS customer, CASE WHEN h IS NULL THEN a.id END AS account`;

const STEP = `
  CALL () {
    UNWIND $customers AS cid
    MATCH (:Customer {id: cid})-[:USES]->(i:Identifier)<-[:USES]-(d:Customer)
    WHERE d.tenantId IN $tenantIds AND COUNT { (i)<-[:USES]-(:Customer) } <= $publicLimit
    RETURN d.id AS customer, null AS account
    UNION
    CALL () {
      UNWIND $accounts AS aid MATCH (a:Account {id: aid}) RETURN a
      UNION
      UNWIND $customers AS cid MATCH (:Customer {id: cid})-[:HOLDS]->(a:Account) RETURN a
    }
    WITH a WHERE NOT (${HUB('a')})
    MATCH (a)-[:PAID]-(b:Account)
    WHERE (b.tenantId IN $tenantIds OR b.tenantId IS NULL) AND NOT (${HUB('b')})
    OPTIONAL MATCH (h:Customer)-[:HOLDS]->(b)
    RETURN h.id AS customer, CASE WHEN h IS NULL THEN b.id END AS account
  }
  RETURN DISTINCT customer, account`;

export function createDistancePatterns(driver: Driver) {
  const run = async (cypher: string, params: Record<string, unknown>) => {
    const result = await driver.executeQuery(cypher, params, READ);
    return result.records.map((r) => ({ customer: r.get('customer') as string | null, account: r.get('account') as string | null }));
  };

  return {
    async fraudDistances(scope: GraphScope, now: Date): Promise<FraudDistances> {
      const base = {
        tenantIds: scope.tenantIds,
        publicLimit: neo4j.int(PUBLIC_IDENTIFIER_CUSTOMERS),
        hubLimit: neo4j.int(HUB_COUNTERPARTIES),
        hubSince: neo4j.int(now.getTime() - HUB_WINDOW_MS),
      };
      const customers = new Map<string, number>();
      const outside = new Map<string, number>();
      let frontier = { customers: [] as string[], accounts: [] as string[] };
      const visit = (rows: { customer: string | null; account: string | null }[], hops: number) => {
        const next = { customers: [] as string[], accounts: [] as string[] };
        for (const { customer, account } of rows) {
          if (customer !== null && !customers.has(customer)) {
            customers.set(customer, hops);
            next.customers.push(customer);
          } else if (customer === null && account !== null && !outside.has(account)) {
            outside.set(account, hops);
            next.accounts.push(account);
          }
        }
        return next;
      };
      frontier = visit(await run(SOURCES, base), 0);
      for (let hops = 1; hops <= MAX_FRAUD_HOPS && frontier.customers.length + frontier.accounts.length > 0; hops++) {
        frontier = visit(await run(STEP, { ...base, ...frontier }), hops);
      }
      const accounts = new Map(outside);
      if (customers.size > 0) {
        const held = await driver.executeQuery(
          `UNWIND $reached AS r
           MATCH (:Customer {id: r.id})-[:HOLDS]->(a:Account)
           RETURN a.id AS account, r.hops AS hops`,
          { reached: [...customers].map(([id, hops]) => ({ id, hops: neo4j.int(hops) })) },
          READ,
        );
        for (const r of held.records) accounts.set(r.get('account') as string, Number(r.get('hops')));
      }
      return { customers, accounts };
    },
  };
}

export type DistancePatterns = ReturnType<typeof createDistancePatterns>;
