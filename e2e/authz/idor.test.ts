import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_HEADER, signIdentityAssertion, type Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import type { GraphQLResponse } from '@baas/sdk';
import { assertAnswered, assertDenied, brief, codesOf, leaves } from './expectations';
import { entityTypeNames, readSubgraphSdl, readSupergraph, SubgraphTypes, supergraphEntityKeys, type EntityKey } from './supergraph-entities';
import { A1_BALANCE, startWorld, type FixtureIds, type PrincipalName, type World } from './world';

/** Who must never see customer A1's data, and who must never see tenant A's. */
const NOT_A1: PrincipalName[] = ['A2', 'B1', 'clientB', 'anonymous'];
const NOT_TENANT_A: PrincipalName[] = ['B1', 'clientB', 'anonymous'];
/** What a denial may say on a direct subgraph call (NOT_FOUND is for operators and services only, but is no leak). */
const DIRECT_DENIALS = ['FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND'];

type EntityCase = {
  label: string;
  id: (ids: FixtureIds) => string;
  /** Who may read it: the positive control that proves the call shape returns data. */
  owner: PrincipalName;
  attackers: PrincipalName[];
};

/**
 * A fixture for every entity type of the supergraph. A new entity type makes the suite fail until it
 * gets an entry here (with a fixture owned by A1 or tenant A), so no entity escapes the sweep.
 */
const ENTITY_CASES: Record<string, EntityCase[]> = {
  Account: [{ label: "A1's account", id: (ids) => ids.accounts.A1, owner: 'A1', attackers: NOT_A1 }],
  Customer: [{ label: 'customer A1', id: (ids) => ids.customers.A1, owner: 'A1', attackers: NOT_A1 }],
  // Any principal of tenant A may read its tenant (customers included).
  Tenant: [{ label: 'tenant A', id: (ids) => ids.tenantA, owner: 'A1', attackers: NOT_TENANT_A }],
  LedgerAccount: [
    { label: "A1's ledger account", id: (ids) => ids.ledger.A1, owner: 'A1', attackers: NOT_A1 },
    // A tenant account: the tenant's backend reads it; no customer does, not even of tenant A.
    { label: "tenant A's funding account", id: (ids) => ids.ledger.fundingA, owner: 'clientA', attackers: ['A1', 'A2', 'B1', 'clientB', 'anonymous'] },
  ],
  Transfer: [
    { label: 'funding A -> A1', id: (ids) => ids.transfers.fundA1, owner: 'A1', attackers: NOT_A1 },
    // A2 is the payee: it may read this one.
    { label: 'A1 -> A2', id: (ids) => ids.transfers.A1toA2, owner: 'A2', attackers: NOT_TENANT_A },
  ],
  // Cards are the cardholder's (issue 15): A1 reads its own card.
  Card: [{ label: "A1's card", id: (ids) => ids.card, owner: 'A1', attackers: NOT_A1 }],
  // Internal-only domains until their issues open customer access: the service proves the call shape.
  // Payment orders are the customer's (issue 13): A1 reads its own.
  PaymentOrder: [{ label: "A1's payment order", id: (ids) => ids.payment, owner: 'A1', attackers: NOT_A1 }],
  // KYC applications are the customer's (issue 16): A1 reads its own.
  KycApplication: [{ label: "A1's KYC application", id: (ids) => ids.kycApplication, owner: 'A1', attackers: NOT_A1 }],
  // An assessment's features are for operators only: an operator reads every field.
  RiskAssessment: [{ label: "A1's risk assessment", id: (ids) => ids.riskAssessment, owner: 'operator', attackers: NOT_A1 }],
  // Tenant A's alert about A1: tenant A's backend and operators read it; no customer does.
  RiskAlert: [{ label: "tenant A's risk alert", id: (ids) => ids.riskAlert, owner: 'service', attackers: NOT_A1 }],
  // Tenant A's webhook endpoint: its backend with webhooks:read or webhooks:write and operators read it; no customer does.
  WebhookEndpoint: [{ label: "tenant A's webhook endpoint", id: (ids) => ids.webhookEndpoint, owner: 'operator', attackers: ['A1', 'A2', 'B1', 'clientA', 'clientB', 'anonymous'] }],
  // A delivery of that endpoint (its payload is tenant A's event): the same readers.
  WebhookDelivery: [{ label: "tenant A's webhook delivery", id: (ids) => ids.webhookDelivery, owner: 'operator', attackers: ['A1', 'A2', 'B1', 'clientA', 'clientB', 'anonymous'] }],
};

const expectedDenial = (who: Identity | null) => (who ? 'FORBIDDEN' : 'UNAUTHENTICATED');

/** IDOR: no principal reads or moves another customer's or another tenant's data by id, through the gateway or around it. */
describe('IDOR: other customers\' and tenants\' data by id', () => {
  let world: World;
  let ids: FixtureIds;

  before(async () => {
    world = await startWorld();
    ids = world.ids;
  });
  after(async () => {
    await world?.stop();
  });

  const as = (name: PrincipalName) => world.who[name];

  it('positive controls: owners read their own data through the gateway', async () => {
    const a1 = assertAnswered(
      await world.gateway<{
        customer: { id: string; displayName: string };
        account: { id: string; customer: { id: string; displayName: string; maskedEmail: string } };
        ledgerAccount: { customerId: string; balance: { posted: { minorUnits: string }; pendingDebits: { minorUnits: string }; available: { minorUnits: string } } };
        transfer: { id: string; amount: { minorUnits: string } };
        transferInclusionProof: unknown;
        sessions: { id: string }[];
      }>(
        as('A1'),
        `query Own($c: ID!, $a: ID!, $l: ID!, $t: ID!) {
          customer(id: $c) { id displayName }
          account(id: $a) { id customer { id displayName maskedEmail } }
          ledgerAccount(id: $l) { customerId balance { posted { minorUnits } pendingDebits { minorUnits } available { minorUnits } } }
          transfer(id: $t) { id amount { minorUnits } }
          transferInclusionProof(transferId: $t)
          sessions { id }
        }`,
        { c: ids.customers.A1, a: ids.accounts.A1, l: ids.ledger.A1, t: ids.transfers.fundA1 },
      ),
      'A1 reads its own data',
    );
    assert.equal(a1.customer.displayName, 'Ana Um');
    assert.equal(a1.account.customer.id, ids.customers.A1, 'account(own) { customer } works for the owner');
    assert.match(a1.account.customer.maskedEmail, /@example\.com$/);
    assert.equal(a1.ledgerAccount.customerId, ids.customers.A1);
    assert.deepEqual(
      { posted: a1.ledgerAccount.balance.posted.minorUnits, pendingDebits: a1.ledgerAccount.balance.pendingDebits.minorUnits, available: a1.ledgerAccount.balance.available.minorUnits },
      A1_BALANCE,
    );
    assert.equal(a1.transfer.amount.minorUnits, '100000');
    assert.ok(a1.transferInclusionProof, 'the owner gets an inclusion proof');
    assert.deepEqual(a1.sessions.map((s) => s.id), [ids.sessionA1]);

    const clientA = assertAnswered(
      await world.gateway<{ customer: { id: string; accounts: { id: string }[] }; ledgerAccount: { id: string; tenantId: string }; apiClients: { id: string }[] }>(
        as('clientA'),
        `query Tenant($c: ID!, $f: ID!) { customer(id: $c) { id accounts { id } } ledgerAccount(id: $f) { id tenantId } apiClients { id } }`,
        { c: ids.customers.A1, f: ids.ledger.fundingA },
      ),
      "tenant A's client reads its tenant's data",
    );
    assert.deepEqual(clientA.customer.accounts, [{ id: ids.accounts.A1 }]);
    assert.equal(clientA.ledgerAccount.tenantId, ids.tenantA);
    assert.deepEqual(clientA.apiClients.map((c) => c.id), [ids.apiClientA]);

    const internal = assertAnswered(
      await world.gateway<Record<string, { id: string } | null>>(
        as('service'),
        `query Internal($p: ID!, $c: ID!, $k: ID!, $r: ID!) { paymentOrder(id: $p) { id } card(id: $c) { id } kycApplication(id: $k) { id } riskAssessment(id: $r) { id } }`,
        { p: ids.payment, c: ids.card, k: ids.kycApplication, r: ids.riskAssessment },
      ),
      'a service reads the placeholder domains',
    );
    assert.deepEqual(internal, { paymentOrder: { id: ids.payment }, card: { id: ids.card }, kycApplication: { id: ids.kycApplication }, riskAssessment: { id: ids.riskAssessment } });
  });

  type DenialCase = { label: string; query: string; variables: Record<string, unknown>; attackers: PrincipalName[] };
  /** Sends each case through the gateway as each of its attackers; returns what was not denied, one message each. */
  async function undenied(cases: DenialCase[]): Promise<string[]> {
    const failures: string[] = [];
    for (const c of cases) {
      for (const attacker of c.attackers) {
        const res = await world.gateway(as(attacker), c.query, c.variables);
        try {
          assertDenied(res, [expectedDenial(as(attacker))], `${attacker} -> ${c.label}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }
    return failures;
  }

  /** Root fields that take an id of A1's or tenant A's, and who must be refused on each. */
  const rootCases = (): DenialCase[] => [
    { label: 'customer(A1)', query: `query Q($id: ID!) { customer(id: $id) { id displayName kind status maskedTaxId maskedEmail maskedPhone createdAt tenant { id name } } }`, variables: { id: ids.customers.A1 }, attackers: NOT_A1 },
    { label: "account(A1's)", query: `query Q($id: ID!) { account(id: $id) { id branch number checkDigit currency status createdAt customer { id } } }`, variables: { id: ids.accounts.A1 }, attackers: NOT_A1 },
    { label: "ledgerAccount(A1's)", query: `query Q($id: ID!) { ledgerAccount(id: $id) { id tenantId customerId currency code flags balance { posted { minorUnits } } transfers { edges { node { id } } } } }`, variables: { id: ids.ledger.A1 }, attackers: NOT_A1 },
    { label: "ledgerAccount(tenant A's funding)", query: `query Q($id: ID!) { ledgerAccount(id: $id) { id tenantId customerId balance { posted { minorUnits } } } }`, variables: { id: ids.ledger.fundingA }, attackers: ['A1', 'A2', 'B1', 'clientB', 'anonymous'] },
    { label: "ledgerAccounts([A1's, funding])", query: `query Q($ids: [ID!]!) { ledgerAccounts(ids: $ids) { id tenantId customerId balance { posted { minorUnits } } } }`, variables: { ids: [ids.ledger.A1, ids.ledger.fundingA] }, attackers: NOT_A1 },
    { label: 'transfer(funding -> A1)', query: `query Q($id: ID!) { transfer(id: $id) { id kind amount { minorUnits } code metadata journalSeq createdAt debitAccount { id } creditAccount { id } } }`, variables: { id: ids.transfers.fundA1 }, attackers: NOT_A1 },
    { label: 'transfer(A1 -> A2)', query: `query Q($id: ID!) { transfer(id: $id) { id kind amount { minorUnits } metadata debitAccount { id } creditAccount { id } } }`, variables: { id: ids.transfers.A1toA2 }, attackers: NOT_TENANT_A },
    { label: 'transferInclusionProof(funding -> A1)', query: `query Q($id: ID!) { transferInclusionProof(transferId: $id) }`, variables: { id: ids.transfers.fundA1 }, attackers: NOT_A1 },
    { label: 'sessions(subject: A1)', query: `query Q($s: String!) { sessions(subject: $s, includeRevoked: true) { id amr createdAt } }`, variables: { s: ids.customers.A1 }, attackers: NOT_A1 },
    { label: 'auditEvents(tenant A)', query: `query Q($t: ID!) { auditEvents(filter: { tenantId: $t }) { events { id action actorSubject } } }`, variables: { t: ids.tenantA }, attackers: ['A2', 'B1', 'clientB', 'anonymous'] },
    // Tenant B's client is checked on its own below (the argument is ignored for tenant principals).
    { label: 'apiClients(tenant A)', query: `query Q($t: ID!) { apiClients(tenantId: $t) { id name scopes secretPrefix } }`, variables: { t: ids.tenantA }, attackers: ['A2', 'B1', 'anonymous'] },
    ...(
      [
        ['paymentOrder', ids.payment],
        ['card', ids.card],
        ['kycApplication', ids.kycApplication],
        ['riskAssessment', ids.riskAssessment],
      ] as const
    ).flatMap(([field, id]) =>
      [
        [`${field}(A1's)`, id],
        [`${field}(random id)`, uuidv7()],
      ].map(([label, value]) => ({ label: label!, query: `query Q($id: ID!) { ${field}(id: $id) { id } }`, variables: { id: value }, attackers: NOT_A1 })),
    ),
  ];

  it('root fields: every attacker gets FORBIDDEN (UNAUTHENTICATED without a token) and no data', async () => {
    const failures = await undenied(rootCases());
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  it("apiClients(tenantId: A) by tenant B's client: FORBIDDEN", async () => {
    const res = await world.gateway<{ apiClients: { id: string }[] }>(as('clientB'), `query Q($t: ID!) { apiClients(tenantId: $t) { id name } }`, { t: ids.tenantA });
    assertDenied(res, ['FORBIDDEN'], 'clientB -> apiClients(tenant A)');
  });

  it("revokeSession(A1's session): refused for every attacker, and the session stays open until A1 revokes it", async () => {
    const revoke = `mutation R($id: ID!) { revokeSession(id: $id) { id revokedAt revokedReason } }`;
    for (const attacker of NOT_A1) {
      assertDenied(await world.gateway(as(attacker), revoke, { id: ids.sessionA1 }), [expectedDenial(as(attacker))], `${attacker} -> revokeSession(A1's)`);
    }
    const [row] = await world.sql<{ revoked_at: Date | null }>('select revoked_at from identity.session where id = $1', [ids.sessionA1]);
    assert.equal(row?.revoked_at, null, "an attacker revoked A1's session");
    const own = assertAnswered(await world.gateway<{ revokeSession: { id: string; revokedAt: string; revokedReason: string } }>(as('A1'), revoke, { id: ids.sessionA1 }), 'A1 revokes its own session');
    assert.deepEqual(own.revokeSession, { id: ids.sessionA1, revokedAt: own.revokeSession.revokedAt, revokedReason: 'REVOKED' });
  });

  it('unknown ids get exactly the same answer as existing ones (no probing)', async () => {
    const probes = [
      { field: 'customer', query: `query Q($id: ID!) { customer(id: $id) { id displayName } }`, existing: ids.customers.A1 },
      { field: 'account', query: `query Q($id: ID!) { account(id: $id) { id number } }`, existing: ids.accounts.A1 },
      { field: 'ledgerAccount', query: `query Q($id: ID!) { ledgerAccount(id: $id) { id balance { posted { minorUnits } } } }`, existing: ids.ledger.A1 },
      { field: 'transfer', query: `query Q($id: ID!) { transfer(id: $id) { id } }`, existing: ids.transfers.fundA1 },
      { field: 'transferInclusionProof', query: `query Q($id: ID!) { transferInclusionProof(transferId: $id) }`, existing: ids.transfers.fundA1 },
    ];
    const shape = (res: GraphQLResponse<unknown>) => ({ data: res.data, errors: (res.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message, path: e.path })) });
    for (const probe of probes) {
      for (const attacker of NOT_A1) {
        const existing = await world.gateway(as(attacker), probe.query, { id: probe.existing });
        const unknown = await world.gateway(as(attacker), probe.query, { id: uuidv7() });
        assertDenied(unknown, [expectedDenial(as(attacker))], `${attacker} -> ${probe.field}(unknown id)`);
        assert.deepEqual(shape(unknown), shape(existing), `${attacker} -> ${probe.field}: an unknown id answers differently from an existing one`);
      }
    }
  });

  it("entity references: A2 reads its incoming transfer from A1, and of A1's ledger account only the id", async () => {
    const own = assertAnswered(
      await world.gateway<{ transfer: { id: string; amount: { minorUnits: string }; metadata: unknown; debitAccount: { id: string }; creditAccount: { id: string; customerId: string; balance: { posted: { minorUnits: string } } } } }>(
        as('A2'),
        `query T($id: ID!) { transfer(id: $id) { id amount { minorUnits } metadata debitAccount { id } creditAccount { id customerId balance { posted { minorUnits } } } } }`,
        { id: ids.transfers.A1toA2 },
      ),
      'A2 reads its incoming transfer',
    );
    assert.equal(own.transfer.debitAccount.id, ids.ledger.A1, "the counterparty's account id is fine");
    assert.equal(own.transfer.creditAccount.customerId, ids.customers.A2);
    assert.equal(own.transfer.creditAccount.balance.posted.minorUnits, '2500');

    // Every other field of the counterparty's ledger account, one at a time, from both sides.
    const ledger = new SubgraphTypes(readSubgraphSdl('ledger'));
    const sides = [
      { viewer: 'A2' as const, transfer: ids.transfers.A1toA2, side: 'debitAccount', owner: 'A1' },
      { viewer: 'A1' as const, transfer: ids.transfers.A1toA2, side: 'creditAccount', owner: 'A2' },
      { viewer: 'A1' as const, transfer: ids.transfers.fundA1, side: 'debitAccount', owner: "tenant A's funding" },
    ];
    const failures: string[] = [];
    for (const { viewer, transfer, side, owner } of sides) {
      for (const { field, selection } of ledger.fieldSelections('LedgerAccount', 3).filter((f) => f.field !== 'id')) {
        const query = `query T($id: ID!) { transfer(id: $id) { id ${side} { id ${selection} } } }`;
        const res = await world.gateway(as(viewer), query, { id: transfer });
        const what = `${viewer} -> transfer { ${side} { ${field} } } (${owner}'s account)`;
        const leaked = leaves(res.data).filter((l) => l.path.includes(`${side}.`) && !l.path.endsWith(`${side}.id`));
        if (leaked.length) failures.push(`LEAK ${what}: ${brief(leaked)}`);
        else if (!codesOf(res).length || codesOf(res).some((c) => c !== 'FORBIDDEN')) failures.push(`${what}: expected FORBIDDEN, got ${JSON.stringify(res.errors ?? res.data)}`);
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));

    // The one from the brief, verbatim: balance and customerId of A1's account through A2's transfer.
    const res = await world.gateway(as('A2'), `query T($id: ID!) { transfer(id: $id) { id debitAccount { id balance { posted { minorUnits } } customerId } } }`, { id: ids.transfers.A1toA2 });
    assertDenied(res, ['FORBIDDEN'], "A2 -> transfer(A1 -> A2) { debitAccount { balance customerId } }");
  });

  it('me { accounts } lists only the caller\'s own accounts; a tenant client has no `me`', async () => {
    for (const [name, account] of [['A1', ids.accounts.A1], ['A2', ids.accounts.A2], ['B1', ids.accounts.B1]] as const) {
      const me = assertAnswered(await world.gateway<{ me: { id: string; accounts: { id: string }[] } }>(as(name), `{ me { id accounts { id } } }`), `${name} -> me`);
      assert.deepEqual(me.me, { id: ids.customers[name], accounts: [{ id: account }] }, `${name} sees exactly its own accounts`);
    }
    const client = assertAnswered(await world.gateway<{ me: unknown }>(as('clientB'), `{ me { id accounts { id } } }`), 'clientB -> me');
    assert.equal(client.me, null);
    // A tenant's client lists a customer's accounts only for its own tenant's customers.
    assertDenied(await world.gateway(as('clientB'), `query Q($id: ID!) { customer(id: $id) { accounts { id } } }`, { id: ids.customers.A1 }), ['FORBIDDEN'], "clientB -> customer(A1) { accounts }");
  });

  it('the gateway never takes an identity from the client, nor exposes _entities', async () => {
    const stolen = await signIdentityAssertion(world.who.A1, world.platform.internalSecret);
    const query = `query Q($id: ID!) { customer(id: $id) { id displayName } }`;
    assertDenied(await world.gateway(null, query, { id: ids.customers.A1 }, { [IDENTITY_HEADER]: stolen }), ['UNAUTHENTICATED'], 'anonymous + x-baas-identity of A1');
    assertDenied(await world.gateway(as('B1'), query, { id: ids.customers.A1 }, { [IDENTITY_HEADER]: stolen }), ['FORBIDDEN'], 'B1 + x-baas-identity of A1');
    const entities = await world.gateway(as('B1'), `query E($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id displayName } } }`, {
      r: [{ __typename: 'Customer', id: ids.customers.A1 }],
    });
    assertDenied(entities, ['GRAPHQL_VALIDATION_FAILED'], 'B1 -> _entities through the gateway');
  });

  // _entities straight at the subgraphs (what a compromised planner or a forged query would send).
  const keys = supergraphEntityKeys(readSupergraph());
  const types = new Map<string, SubgraphTypes>();
  const typesOf = (graph: string) => {
    let t = types.get(graph);
    if (!t) {
      t = new SubgraphTypes(readSubgraphSdl(graph));
      types.set(graph, t);
    }
    return t;
  };
  const entitiesQuery = (key: EntityKey, selection: string) =>
    `query E($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${key.typeName} ${selection} } }`;

  it('_entities: every entity type of the supergraph has a fixture here (and no stale ones)', () => {
    const entities = entityTypeNames(keys);
    assert.ok(entities.length > 0, 'no entity found in the supergraph');
    assert.deepEqual(
      entities.filter((t) => !ENTITY_CASES[t]?.length),
      [],
      'entity types without a fixture in ENTITY_CASES: add one (owned by A1 or tenant A) so _entities is swept for them',
    );
    assert.deepEqual(Object.keys(ENTITY_CASES).filter((t) => !entities.includes(t)).sort(), [], 'ENTITY_CASES names types that are no longer entities');
    for (const key of keys) assert.ok(typesOf(key.graph).has(key.typeName), `${key.graph}'s SDL lacks ${key.typeName}`);
  });

  it('_entities: refuses every attacker, for every entity in every subgraph that has it, whatever the selection', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const key of keys) {
      for (const c of ENTITY_CASES[key.typeName] ?? []) {
        const id = c.id(ids);
        const random = uuidv7();
        const representations = [
          { __typename: key.typeName, id },
          { __typename: key.typeName, id: random },
        ];
        const sent = new Set([id, random]);
        for (const depth of [0, 3]) {
          const selection = typesOf(key.graph).selection(key.typeName, depth);
          for (const attacker of c.attackers) {
            const res = await world.direct<{ _entities: unknown[] }>(key.graph, as(attacker), entitiesQuery(key, selection), { r: representations });
            calls++;
            const what = `${attacker} -> ${key.graph}._entities(${key.typeName}: ${c.label}) depth ${depth}`;
            const bad = codesOf(res).filter((code) => !DIRECT_DENIALS.includes(code));
            if (bad.length) failures.push(`${what}: unexpected codes ${bad.join(', ')}: ${JSON.stringify(res.errors)}`);
            // The only value allowed back is the id the attacker sent itself (a key echo is no data).
            const leaked = leaves(res.data, (path, value) => /^_entities\[\d+\]\.id$/.test(path) && sent.has(String(value)));
            if (leaked.length) failures.push(`LEAK ${what}: ${brief(leaked)}`);
            if (!res.data && !res.errors?.length) failures.push(`${what}: neither data nor errors`);
          }
        }
      }
    }
    assert.ok(calls > 0);
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  it('_entities: answers the owner with its data through the very same call (the call shape works)', async () => {
    const failures: string[] = [];
    for (const key of keys.filter((k) => k.resolvable)) {
      for (const c of ENTITY_CASES[key.typeName] ?? []) {
        const id = c.id(ids);
        const selection = typesOf(key.graph).selection(key.typeName, 0);
        const res = await world.direct<{ _entities: (Record<string, unknown> | null)[] }>(key.graph, as(c.owner), entitiesQuery(key, selection), {
          r: [{ __typename: key.typeName, id }],
        });
        const what = `${c.owner} -> ${key.graph}._entities(${key.typeName}: ${c.label})`;
        const entity = res.data?._entities[0];
        if (res.errors || !entity) failures.push(`${what}: ${JSON.stringify(res.errors ?? res.data)}`);
        else {
          if (entity.id !== id) failures.push(`${what}: id ${String(entity.id)}`);
          const fields = typesOf(key.graph).leafFields(key.typeName);
          if (fields.length > 1 && leaves(entity).length < 2) failures.push(`${what}: no data beyond the id: ${JSON.stringify(entity)}`);
        }
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  it('_entities: an identity assertion the subgraph cannot verify makes the caller anonymous', async () => {
    const forged = await signIdentityAssertion(world.who.operator, `not-the-secret-${uuidv7()}`);
    for (const key of keys.filter((k) => k.resolvable)) {
      const c = ENTITY_CASES[key.typeName]![0]!;
      const url = world.platform.subgraphUrls[key.graph]!;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: forged },
        body: JSON.stringify({ query: entitiesQuery(key, typesOf(key.graph).selection(key.typeName, 0)), variables: { r: [{ __typename: key.typeName, id: c.id(ids) }] } }),
      });
      const body = (await res.json()) as GraphQLResponse<unknown>;
      const what = `forged operator -> ${key.graph}._entities(${key.typeName})`;
      assert.deepEqual(leaves(body.data, (path, value) => path === '_entities[0].id' && value === c.id(ids)), [], `LEAK ${what}`);
      for (const code of codesOf(body)) assert.ok(DIRECT_DENIALS.includes(code), `${what}: ${code}`);
    }
  });

  it('moving money: no customer, tenant client or anonymous caller writes to the ledger, through the gateway or around it', async () => {
    const [initially] = await world.sql<{ transfers: string; accounts: string }>(
      'select (select count(*) from ledger.transfer)::text as transfers, (select count(*) from ledger.ledger_account)::text as accounts',
    );
    const attempted: { transfers: string[]; accounts: string[] } = { transfers: [], accounts: [] };
    const writes = (attacker: PrincipalName) => {
      const t = uuidv7();
      const p = uuidv7();
      const v = uuidv7();
      const a = uuidv7();
      attempted.transfers.push(t, p, v);
      attempted.accounts.push(a);
      // A customer attacker pays itself; everyone else pays B1.
      const payee = attacker === 'A2' || attacker === 'B1' ? attacker : 'B1';
      return [
        { label: `createTransfers(A1 -> ${payee})`, query: `mutation M($t: [TransferInput!]!) { createTransfers(transfers: $t) { id status error transfer { id } } }`, variables: { t: [{ id: t, debitAccountId: ids.ledger.A1, creditAccountId: ids.ledger[payee], amount: '1000', currency: 'BRL', code: 1 }] } },
        { label: "postPendingTransfers(A1's hold)", query: `mutation M($t: [PostPendingTransferInput!]!) { postPendingTransfers(transfers: $t) { id status error transfer { id } } }`, variables: { t: [{ id: p, pendingId: ids.transfers.holdA1 }] } },
        { label: "voidPendingTransfers(A1's hold)", query: `mutation M($t: [VoidPendingTransferInput!]!) { voidPendingTransfers(transfers: $t) { id status error transfer { id } } }`, variables: { t: [{ id: v, pendingId: ids.transfers.holdA1 }] } },
        { label: 'createLedgerAccounts(for A1)', query: `mutation M($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error account { id } } }`, variables: { a: [{ id: a, tenantId: ids.tenantA, customerId: ids.customers.A1, currency: 'BRL', code: 100 }] } },
      ];
    };
    const failures: string[] = [];
    for (const attacker of ['A1', 'A2', 'B1', 'clientA', 'clientB', 'anonymous'] as const) {
      for (const route of ['gateway', 'ledger subgraph'] as const) {
        for (const w of writes(attacker)) {
          const res = route === 'gateway' ? await world.gateway(as(attacker), w.query, w.variables) : await world.direct('ledger', as(attacker), w.query, w.variables);
          try {
            // Through the gateway the ledger's writes are @inaccessible: unknown to every caller.
            assertDenied(res, [route === 'gateway' ? 'GRAPHQL_VALIDATION_FAILED' : expectedDenial(as(attacker))], `${attacker} -> ${w.label} via ${route}`);
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      }
    }
    assert.deepEqual(failures, [], failures.join('\n\n'));

    const written = await world.sql('select id from ledger.transfer where id = any($1::uuid[]) union all select id from ledger.ledger_account where id = any($2::uuid[])', [attempted.transfers, attempted.accounts]);
    assert.deepEqual(written, [], 'a refused write reached the ledger');
    const [afterwards] = await world.sql<{ transfers: string; accounts: string }>(
      'select (select count(*) from ledger.transfer)::text as transfers, (select count(*) from ledger.ledger_account)::text as accounts',
    );
    assert.deepEqual(afterwards, initially, 'the ledger changed');
    const state = assertAnswered(
      await world.gateway<{ ledgerAccount: { balance: { posted: { minorUnits: string }; pendingDebits: { minorUnits: string }; available: { minorUnits: string } } }; transfer: { pendingStatus: string } }>(
        as('service'),
        `query S($l: ID!, $h: ID!) { ledgerAccount(id: $l) { balance { posted { minorUnits } pendingDebits { minorUnits } available { minorUnits } } } transfer(id: $h) { pendingStatus } }`,
        { l: ids.ledger.A1, h: ids.transfers.holdA1 },
      ),
      "A1's balance afterwards",
    );
    const b = state.ledgerAccount.balance;
    assert.deepEqual({ posted: b.posted.minorUnits, pendingDebits: b.pendingDebits.minorUnits, available: b.available.minorUnits }, A1_BALANCE, "A1's balance changed");
    assert.equal(state.transfer.pendingStatus, 'PENDING', "A1's hold was resolved by an attacker");
  });

  it("accounts: another customer's transfer sagas, FX quotes, statements and money movement are refused", async () => {
    const saga = uuidv7();
    const quote = uuidv7();
    await world.sql(
      `insert into accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, state, request_hash)
       values ($1, 'TRANSFER', $2, $3, $4, $5, 100, 'BRL', 'POSTED', 'x')`,
      [saga, ids.tenantA, ids.customers.A1, ids.accounts.A1, ids.accounts.A2],
    );
    await world.sql(
      `insert into accounts.fx_quote (id, tenant_id, customer_id, from_account_id, to_account_id, sell_amount, sell_currency, buy_amount, buy_currency, mid_rate, rate, spread_bps, spread_amount, expires_at, request_hash)
       values ($1, $2, $3, $4, $4, 100, 'BRL', 18, 'USD', '0.18', '0.17', 50, 1, now() + interval '1 hour', 'x')`,
      [quote, ids.tenantA, ids.customers.A1, ids.accounts.A1],
    );
    const cases: DenialCase[] = [
      { label: "accountTransfer(A1's)", query: `query Q($id: ID!) { accountTransfer(id: $id) { id status amount { minorUnits } fromAccount { id } } }`, variables: { id: saga }, attackers: NOT_A1 },
      { label: "fxQuote(A1's)", query: `query Q($id: ID!) { fxQuote(id: $id) { id rate sell { minorUnits } } }`, variables: { id: quote }, attackers: NOT_A1 },
      { label: "statement(A1's account)", query: `query Q($id: ID!) { account(id: $id) { statement { entries { transferId } } statementCsv } }`, variables: { id: ids.accounts.A1 }, attackers: NOT_A1 },
      {
        label: "transfer out of A1's account",
        query: `mutation M($input: AccountTransferInput!) { transfer(input: $input) { id status } }`,
        variables: { input: { id: uuidv7(), fromAccountId: ids.accounts.A1, toAccountId: ids.accounts.A2, amount: '1' } },
        attackers: ['A2', 'B1', 'clientB', 'anonymous'],
      },
      {
        label: "quoteFx on A1's account",
        query: `mutation M($input: FxQuoteInput!) { quoteFx(input: $input) { id } }`,
        variables: { input: { id: uuidv7(), fromAccountId: ids.accounts.A1, toAccountId: ids.accounts.A1, sellAmount: '1' } },
        attackers: ['A2', 'B1', 'clientB', 'anonymous'],
      },
      { label: "executeFxQuote(A1's quote)", query: `mutation M($q: ID!, $id: ID!) { executeFxQuote(id: $id, quoteId: $q) { id status } }`, variables: { q: quote, id: uuidv7() }, attackers: ['A2', 'B1', 'clientB', 'anonymous'] },
      { label: "freezeAccount(A1's)", query: `mutation M($id: ID!) { freezeAccount(id: $id) { status } }`, variables: { id: ids.accounts.A1 }, attackers: ['A1', 'A2', 'B1', 'clientB', 'anonymous'] },
      { label: 'tenantAccountSettings(tenant A)', query: `query Q($t: ID!) { tenantAccountSettings(tenantId: $t) { currencies } }`, variables: { t: ids.tenantA }, attackers: ['A1', 'A2', 'B1', 'clientB', 'anonymous'] },
    ];
    const failures = await undenied(cases);
    assert.deepEqual(failures, [], failures.join('\n\n'));
    const [row] = await world.sql<{ n: string }>(`select count(*)::text as n from accounts.transfer_saga where tenant_id = $1`, [ids.tenantA]);
    assert.equal(row?.n, '1', 'no attacker created a saga');
  });
});
