import neo4j, { type Driver } from 'neo4j-driver';
import { components, PUBLIC_IDENTIFIER_CUSTOMERS, sharedDegrees } from '../domain/graph-features';
import type { IdentifierKind } from '../domain/graph-events';

/**
 * Identity patterns of the risk graph: customers linked through the same device, IP, phone, e-mail
 * or PIX key, and the rings (connected components) those links make. Identifiers held by more than
 * PUBLIC_IDENTIFIER_CUSTOMERS customers (counted over the whole graph) are public and ignored.
 * Payment patterns are in graph-patterns-flow.ts, the distance to a fraudster in graph-patterns-distance.ts.
 */

/** The tenants a pattern looks at: customers and accounts of other tenants are not part of any finding. */
export type GraphScope = { tenantIds: readonly string[] };

export type ScopedId = { id: string; tenantId: string };

/** Customers (two or more) sharing one non-public identifier. */
export type SharedIdentifierGroup = { identifierKey: string; kind: IdentifierKind; customers: ScopedId[] };

export type Ring = { customers: ScopedId[]; size: number };

export type CustomerGraphFeatures = { sharedIdentifierDegree: number; ringSize: number };

const READ = { routing: neo4j.routing.READ } as const;

export function createIdentityPatterns(driver: Driver) {
  const sharedIdentifiers = async (scope: GraphScope): Promise<SharedIdentifierGroup[]> => {
    const result = await driver.executeQuery(
      `MATCH (c:Customer)-[:USES]->(i:Identifier)
       WHERE c.tenantId IN $tenantIds
       WITH i, collect(DISTINCT {id: c.id, tenantId: c.tenantId}) AS customers
       WHERE size(customers) >= 2 AND COUNT { (i)<-[:USES]-(:Customer) } <= $publicLimit
       RETURN i.key AS key, i.kind AS kind, customers
       ORDER BY key`,
      { tenantIds: scope.tenantIds, publicLimit: neo4j.int(PUBLIC_IDENTIFIER_CUSTOMERS) },
      READ,
    );
    return result.records.map((r) => ({
      identifierKey: r.get('key') as string,
      kind: r.get('kind') as IdentifierKind,
      customers: (r.get('customers') as ScopedId[]).map((c) => ({ id: c.id, tenantId: c.tenantId })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    }));
  };

  const ringsOf = (groups: readonly SharedIdentifierGroup[]): Ring[] => {
    const tenantOf = new Map(groups.flatMap((g) => g.customers.map((c) => [c.id, c.tenantId] as const)));
    return components(groups.map((g) => g.customers.map((c) => c.id))).map((ids) => ({
      customers: ids.map((id) => ({ id, tenantId: tenantOf.get(id)! })),
      size: ids.length,
    }));
  };

  return {
    /** Every non-public identifier that two or more of the scope's customers use. */
    sharedIdentifiers,

    /** Connected components (two or more customers) over shared identifiers, largest first. */
    async rings(scope: GraphScope): Promise<Ring[]> {
      return ringsOf(await sharedIdentifiers(scope));
    },

    /**
     * Groups, rings, and per customer that shares anything: distinct other customers it shares an
     * identifier with, and its ring's size (customers not in the map: degree 0, ring size 1).
     */
    async identityFeatures(scope: GraphScope): Promise<{ groups: SharedIdentifierGroup[]; rings: Ring[]; customers: Map<string, CustomerGraphFeatures> }> {
      const groups = await sharedIdentifiers(scope);
      const rings = ringsOf(groups);
      const degrees = sharedDegrees(groups.map((g) => g.customers.map((c) => c.id)));
      const customers = new Map<string, CustomerGraphFeatures>();
      for (const ring of rings) {
        for (const c of ring.customers) customers.set(c.id, { sharedIdentifierDegree: degrees.get(c.id) ?? 0, ringSize: ring.size });
      }
      return { groups, rings, customers };
    },

    /** The scope's customers and accounts (the scan writes a feature for each, defaults included). */
    async members(scope: GraphScope): Promise<{ customers: ScopedId[]; accounts: ScopedId[] }> {
      const [customers, accounts] = await Promise.all(
        ['Customer', 'Account'].map(async (label) => {
          const result = await driver.executeQuery(
            `MATCH (n:${label}) WHERE n.tenantId IN $tenantIds RETURN n.id AS id, n.tenantId AS tenantId ORDER BY id`,
            { tenantIds: scope.tenantIds },
            READ,
          );
          return result.records.map((r) => ({ id: r.get('id') as string, tenantId: r.get('tenantId') as string }));
        }),
      );
      return { customers: customers!, accounts: accounts! };
    },
  };
}

export type IdentityPatterns = ReturnType<typeof createIdentityPatterns>;
