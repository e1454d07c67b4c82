import neo4j, { type Driver, type Integer } from 'neo4j-driver';
import { identifierKey, type Identifier } from '../domain/graph-events';

/**
 * Writes to the risk graph. Every write is a MERGE keyed by something the event carries (a
 * transfer id, an account id, an identifier), and properties only ever move one way (first seen
 * the earliest, last seen the latest, a fraud mark stays), so replaying a stream, in any order and
 * any number of times, gives the same graph.
 *
 * Model: (:Customer {id, tenantId})-[:HOLDS]->(:Account {id, tenantId, customerId});
 * (:Customer)-[:USES {firstSeen, lastSeen}]->(:Identifier {key, kind, value});
 * (:Account)-[:PAID {transferId, eventId, amount (decimal string, minor units), currency, at}]->(:Account).
 * Times are integer epoch milliseconds; `confirmedFraud: true` marks customers and accounts.
 */
export type PaymentRecord = {
  eventId: string;
  transferId: string;
  payerAccountId: string;
  payeeAccountId: string;
  tenantId?: string;
  amount: bigint;
  currency: string;
  at: Date;
};

export type GraphCounts = { nodes: number; relationships: number };

const ms = (d: Date) => neo4j.int(d.getTime());
const WRITE = { routing: neo4j.routing.WRITE } as const;
const READ = { routing: neo4j.routing.READ } as const;

export function createGraphStore(driver: Driver) {
  return {
    /** One PAID edge per transfer id; the accounts are created when first seen (outside accounts stay without holder). */
    async recordPayment(p: PaymentRecord): Promise<void> {
      if (p.amount < 0n) throw new RangeError('a payment amount is never negative');
      await driver.executeQuery(
        `MERGE (payer:Account {id: $payer})
           ON CREATE SET payer.tenantId = $tenantId
         MERGE (payee:Account {id: $payee})
         MERGE (payer)-[r:PAID {transferId: $transferId}]->(payee)
           ON CREATE SET r.eventId = $eventId, r.amount = $amount, r.currency = $currency, r.at = $at`,
        {
          payer: p.payerAccountId,
          payee: p.payeeAccountId,
          tenantId: p.tenantId ?? null,
          transferId: p.transferId,
          eventId: p.eventId,
          amount: p.amount.toString(),
          currency: p.currency,
          at: ms(p.at),
        },
        WRITE,
      );
    },

    /** The account's holder and tenant (a ledger event alone says neither). */
    async recordAccount(a: { accountId: string; customerId: string; tenantId: string }): Promise<void> {
      await driver.executeQuery(
        `MERGE (c:Customer {id: $customerId})
           ON CREATE SET c.tenantId = $tenantId
         MERGE (a:Account {id: $accountId})
           SET a.tenantId = coalesce(a.tenantId, $tenantId), a.customerId = coalesce(a.customerId, $customerId)
         MERGE (c)-[:HOLDS]->(a)`,
        a,
        WRITE,
      );
    },

    /** The customer used these identifiers at `at` (values are blind indexes or hashes, never clear PII). */
    async recordIdentifiers(r: { eventId?: string; tenantId: string; customerId: string; identifiers: readonly Identifier[]; at: Date }): Promise<void> {
      const identifiers = r.identifiers.map((i) => ({ key: identifierKey(i), kind: i.kind, value: i.value }));
      await driver.executeQuery(
        `MERGE (c:Customer {id: $customerId})
           ON CREATE SET c.tenantId = $tenantId
         WITH c
         UNWIND $identifiers AS ident
         MERGE (i:Identifier {key: ident.key})
           ON CREATE SET i.kind = ident.kind, i.value = ident.value
         MERGE (c)-[u:USES]->(i)
           ON CREATE SET u.firstSeen = $at, u.lastSeen = $at
           ON MATCH SET u.firstSeen = CASE WHEN $at < u.firstSeen THEN $at ELSE u.firstSeen END,
                        u.lastSeen = CASE WHEN $at > u.lastSeen THEN $at ELSE u.lastSeen END`,
        { customerId: r.customerId, tenantId: r.tenantId, identifiers, at: ms(r.at) },
        WRITE,
      );
    },

    /** A confirmed fraud (an alert closed as CONFIRMED_FRAUD): the mark is never removed by a replay. */
    async markConfirmedFraud(m: { tenantId?: string; customerId?: string; accountId?: string }): Promise<void> {
      if (!m.customerId && !m.accountId) throw new TypeError('markConfirmedFraud needs a customerId or an accountId');
      const params = { tenantId: m.tenantId ?? null, customerId: m.customerId ?? null, accountId: m.accountId ?? null };
      if (m.customerId) {
        await driver.executeQuery(
          'MERGE (c:Customer {id: $customerId}) ON CREATE SET c.tenantId = $tenantId SET c.confirmedFraud = true',
          params,
          WRITE,
        );
      }
      if (m.accountId) {
        await driver.executeQuery('MERGE (a:Account {id: $accountId}) ON CREATE SET a.tenantId = $tenantId SET a.confirmedFraud = true', params, WRITE);
      }
    },

    /** Tenants present in the graph (the scan's scope). */
    async listTenants(): Promise<string[]> {
      const result = await driver.executeQuery(
        'MATCH (c:Customer) WHERE c.tenantId IS NOT NULL RETURN DISTINCT c.tenantId AS tenantId ORDER BY tenantId',
        {},
        READ,
      );
      return result.records.map((r) => r.get('tenantId') as string);
    },

    /**
     * Nodes and relationships that touch the given tenants' customers and accounts (with the
     * identifiers and counterparties they reach): what a replay must leave unchanged.
     */
    async countScope(tenantIds: readonly string[]): Promise<GraphCounts> {
      const result = await driver.executeQuery(
        `MATCH (n) WHERE (n:Customer OR n:Account) AND n.tenantId IN $tenantIds
         OPTIONAL MATCH (n)-[r]-(m)
         WITH collect(DISTINCT n) AS owned, collect(DISTINCT m) AS reached, collect(DISTINCT r) AS rels
         RETURN size(owned) + size([x IN reached WHERE NOT x IN owned]) AS nodes, size(rels) AS relationships`,
        { tenantIds },
        READ,
      );
      const row = result.records[0];
      return { nodes: toNumber(row?.get('nodes')), relationships: toNumber(row?.get('relationships')) };
    },

    /** Deletes the given tenants' customers and accounts, and identifiers and accounts left with no one (tests, erasure). */
    async deleteTenants(tenantIds: readonly string[]): Promise<void> {
      await driver.executeQuery(
        `MATCH (n) WHERE (n:Customer OR n:Account) AND n.tenantId IN $tenantIds
         OPTIONAL MATCH (n)-[:USES|PAID]-(m) WHERE m:Identifier OR (m:Account AND m.tenantId IS NULL)
         WITH collect(DISTINCT n) AS owned, collect(DISTINCT m) AS reached
         FOREACH (x IN owned | DETACH DELETE x)
         WITH reached UNWIND reached AS m
         WITH m WHERE NOT (m)--()
         DELETE m`,
        { tenantIds },
        WRITE,
      );
    },
  };
}

export type GraphStore = ReturnType<typeof createGraphStore>;

export const toNumber = (v: unknown): number => (neo4j.isInt(v) ? (v as Integer).toNumber() : Number(v ?? 0));
