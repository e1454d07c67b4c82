import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { MongoClient } from 'mongodb';
import neo4j from 'neo4j-driver';
import pg from 'pg';
import { IDENTITY_HEADER, signIdentityAssertion, type Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { graphqlRequest, type GraphQLResponse } from '@baas/sdk';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { removeRiskRecords, seedRiskAlert, seedRiskAssessment } from '../stores/risk-fixtures';

const MONGO_URL = 'mongodb://127.0.0.1:27017';
const NEO4J_URL = 'bolt://127.0.0.1:7687';

/** What a signed-in customer's token carries (CUSTOMER_SCOPES of the identity subgraph's session tokens). */
const CUSTOMER_SCOPES = ['customer:read', 'customer:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:read', 'cards:write'];
/** A tenant backend with every tenant scope: the strongest tenant principal there is. */
const TENANT_CLIENT_SCOPES = ['customers:read', 'customers:write', 'clients:write', 'audit:read', 'tenant:write'];

/** The principals of the suite. `anonymous` is a request without any token or identity assertion. */
export type Principals = {
  A1: Identity;
  A2: Identity;
  B1: Identity;
  clientA: Identity;
  clientB: Identity;
  service: Identity;
  operator: Identity;
  anonymous: null;
};
export type PrincipalName = keyof Principals;

/** Ids of everything the suite creates. "A1's" data is owned by customer A1 of tenant A. */
export type FixtureIds = {
  tenantA: string;
  tenantB: string;
  customers: { A1: string; A2: string; B1: string };
  /** accounts.account rows. */
  accounts: { A1: string; A2: string; B1: string };
  ledger: { fundingA: string; A1: string; A2: string; B1: string };
  transfers: {
    /** Posted, tenant A's funding account to A1. */
    fundA1: string;
    /** Posted, A1 to A2: A2 may see it (its incoming transfer), but not A1's side. */
    A1toA2: string;
    /** Pending (held), A1 to A2: the target of the post/void attempts. */
    holdA1: string;
  };
  /** identity.session of A1. */
  sessionA1: string;
  /** A real API client of tenant A (identity.api_client). */
  apiClientA: string;
  /** Rows of the placeholder domains, owned by A1 (cards, payments: PostgreSQL; kyc: MongoDB; risk: Neo4j). */
  card: string;
  payment: string;
  kycApplication: string;
  riskAssessment: string;
  riskAlert: string;
  /** A webhook endpoint of tenant A (webhooks: PostgreSQL). */
  webhookEndpoint: string;
  webhookDelivery: string;
};

/** A1's balances after the fixtures: 100000 in, 2500 out, 1000 held. */
export const A1_BALANCE = { posted: '97500', pendingDebits: '1000', available: '96500' } as const;

export type World = {
  platform: TestPlatform;
  db: TestDatabase;
  ids: FixtureIds;
  who: Principals;
  /** A request through the gateway, with an access token for the identity (none for null). */
  gateway<T = Record<string, unknown>>(identity: Identity | null, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /**
   * A request straight to one subgraph, bypassing the gateway and its query planner, with a validly
   * signed identity assertion for the identity (none for null).
   */
  direct<T = Record<string, unknown>>(graph: string, identity: Identity | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** One SQL query against the platform's database. */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
};

const cpf = (base: string) => base + cpfCheckDigits(base);

/**
 * Starts the platform on an isolated database (and MongoDB database, and Neo4j nodes of its own) and
 * creates the fixtures: tenants A and B, customers A1 and A2 (tenant A) and B1 (tenant B), accounts,
 * ledger accounts and transfers, a session of A1, an API client of tenant A, and a card, a payment, a
 * KYC case and a risk assessment of A1.
 */
export async function startWorld(): Promise<World> {
  const tenantA = uuidv7();
  const tenantB = uuidv7();
  const customers = { A1: uuidv7(), A2: uuidv7(), B1: uuidv7() };
  const ids: FixtureIds = {
    tenantA,
    tenantB,
    customers,
    accounts: { A1: uuidv7(), A2: uuidv7(), B1: uuidv7() },
    ledger: { fundingA: uuidv7(), A1: uuidv7(), A2: uuidv7(), B1: uuidv7() },
    transfers: { fundA1: uuidv7(), A1toA2: uuidv7(), holdA1: uuidv7() },
    sessionA1: uuidv7(),
    apiClientA: uuidv7(),
    card: uuidv7(),
    payment: uuidv7(),
    kycApplication: uuidv7(),
    riskAssessment: '',
    riskAlert: '',
    webhookEndpoint: uuidv7(),
    webhookDelivery: uuidv7(),
  };
  const who: Principals = {
    A1: { subject: customers.A1, kind: 'customer', tenantId: tenantA, scopes: CUSTOMER_SCOPES },
    A2: { subject: customers.A2, kind: 'customer', tenantId: tenantA, scopes: CUSTOMER_SCOPES },
    B1: { subject: customers.B1, kind: 'customer', tenantId: tenantB, scopes: CUSTOMER_SCOPES },
    clientA: { subject: uuidv7(), kind: 'api_client', tenantId: tenantA, scopes: TENANT_CLIENT_SCOPES },
    clientB: { subject: uuidv7(), kind: 'api_client', tenantId: tenantB, scopes: TENANT_CLIENT_SCOPES },
    service: { subject: 'idor-suite', kind: 'service', tenantId: null, scopes: [] },
    operator: { subject: 'ops-idor', kind: 'operator', tenantId: null, scopes: [] },
    anonymous: null,
  };

  const mongoDatabase = `baas_idor_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const mongo = await new MongoClient(MONGO_URL).connect();
  const driver = neo4j.driver(NEO4J_URL);
  let platform: TestPlatform | undefined;

  const stop = async () => {
    await platform?.stop();
    await pool.end().catch(() => undefined);
    await mongo.db(mongoDatabase).dropDatabase().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    await removeRiskRecords(driver, { assessments: [ids.riskAssessment], alerts: [ids.riskAlert] }).catch(() => undefined);
    await driver.close().catch(() => undefined);
    await db.drop();
  };

  try {
    const sql = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await pool.query<R>(text, params)).rows;
    await sql(`insert into identity.tenant (id, slug, name) values ($1, $2, 'Tenant A'), ($3, $4, 'Tenant B')`, [tenantA, `a-${tenantA}`, tenantB, `b-${tenantB}`]);
    // Placeholder domains (no creation mutations yet): written straight into their stores.
    await sql(
      `insert into cards.card (id, tenant_id, customer_id, account_id, ledger_account_id, currency, form, state, brand, first6, last4, pan_index, expiry, request_hash)
       values ($1, $2, $3, $4, $5, 'BRL', 'VIRTUAL', 'ACTIVE', 'VISA', '999999', '4242', $6, '3012', $6)`,
      [ids.card, tenantA, customers.A1, ids.accounts.A1, ids.ledger.A1, `idor-${ids.card}`],
    );
    await sql(
      `insert into payments.payment_order (id, tenant_id, customer_id, account_id, ledger_account_id, direction, rail, amount, currency, state, request_hash) values ($1, $2, $3, $4, $5, 'OUT', 'PIX', 4321, 'BRL', 'SETTLED', $6)`,
      [ids.payment, tenantA, customers.A1, ids.accounts.A1, ids.ledger.A1, `idor-${ids.payment}`],
    );
    await sql(
      `insert into webhooks.webhook_endpoint (id, tenant_id, url, event_types, request_hash) values ($1, $2, 'https://hooks.example.com/a', '{payments.>}', $3)`,
      [ids.webhookEndpoint, tenantA, `idor-${ids.webhookEndpoint}`],
    );
    const hookEvent = uuidv7();
    await sql(`insert into webhooks.webhook_event (tenant_id, id, type, body, occurred_at) values ($1, $2, 'payments.order.settled', '{}', now())`, [tenantA, hookEvent]);
    await sql(
      `insert into webhooks.webhook_delivery (id, endpoint_id, tenant_id, event_id, event_type, updated_at) values ($1, $2, $3, $4, 'payments.order.settled', now())`,
      [ids.webhookDelivery, ids.webhookEndpoint, tenantA, hookEvent],
    );
    ids.riskAssessment = await seedRiskAssessment(driver, { movementId: uuidv7(), tenantId: tenantA, customerId: customers.A1, scoreBps: 4200, decision: 'REVIEW' });
    ids.riskAlert = await seedRiskAlert(driver, { tenantId: tenantA, subjectIds: [customers.A1], dedupeKey: `idor-${uuidv7()}` });

    platform = await startPlatform({ databaseUrl: db.url, env: { MONGO_DATABASE: mongoDatabase, AUDIT_DATABASE: mongoDatabase } });
    const running = platform;

    const tokens = new Map<Identity, Promise<string>>();
    const tokenFor = (identity: Identity) => {
      let token = tokens.get(identity);
      if (!token) {
        token = running.mintToken(identity, 3600);
        tokens.set(identity, token);
      }
      return token;
    };
    const gateway = async <T,>(identity: Identity | null, query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) => {
      const token = identity ? await tokenFor(identity) : undefined;
      return graphqlRequest<T, Record<string, unknown>>({ url: running.gatewayUrl, document: parse(query), variables, token, ...(headers ? { headers } : {}) });
    };
    const direct = async <T,>(graph: string, identity: Identity | null, query: string, variables: Record<string, unknown> = {}) => {
      const url = running.subgraphUrls[graph];
      assert.ok(url, `no running subgraph named ${graph}`);
      const headers: Record<string, string> = identity ? { [IDENTITY_HEADER]: await signIdentityAssertion(identity, running.internalSecret) } : {};
      return graphqlRequest<T, Record<string, unknown>>({ url, document: parse(query), variables, headers });
    };
    const world: World = { platform: running, db, ids, who, gateway, direct, sql, stop };

    // Customers, created by their tenant's backend.
    const create = `mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { status customer { id } } }`;
    const people: [keyof FixtureIds['customers'], Identity, string, string][] = [
      ['A1', who.clientA, 'Ana Um', '529982247'],
      ['A2', who.clientA, 'Beto Dois', '123456789'],
      ['B1', who.clientB, 'Caio Bê', '987654321'],
    ];
    for (const [name, client, displayName, base] of people) {
      const res = await world.gateway<{ createCustomer: { status: string } }>(client, create, {
        input: { id: customers[name], kind: 'PERSON', displayName, taxId: cpf(base), email: `${name.toLowerCase()}@example.com`, phone: '+5511912345678' },
      });
      assert.equal(res.data?.createCustomer.status, 'CREATED', `customer ${name}: ${JSON.stringify(res.errors)}`);
    }
    const apiClient = await world.gateway<{ createApiClient: { status: string } }>(
      who.clientA,
      `mutation K($input: CreateApiClientInput!) { createApiClient(input: $input) { status client { id } } }`,
      { input: { id: ids.apiClientA, name: 'tenant A backend', scopes: ['customers:read'] } },
    );
    assert.equal(apiClient.data?.createApiClient.status, 'CREATED', JSON.stringify(apiClient.errors));
    // A1's KYC application, opened by A1 (issue 16).
    const kyc = await world.gateway<{ createKycApplication: { id: string } }>(
      who.A1,
      `mutation K($input: CreateKycApplicationInput!) { createKycApplication(input: $input) { id } }`,
      { input: { id: ids.kycApplication, applicant: { fullName: 'Ana Um Silva', cpf: cpf('529982247'), dateOfBirth: '1990-01-01' } } },
    );
    assert.equal(kyc.data?.createKycApplication.id, ids.kycApplication, JSON.stringify(kyc.errors));

    // Accounts (no creation mutation yet): one per customer.
    await sql(
      `insert into accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit, status, ledger_account_id)
       values ($1, $2, $3, 'BRL', '0001', '100001', '7', 'ACTIVE', $4), ($5, $2, $6, 'BRL', '0001', '100002', '5', 'ACTIVE', $7),
              ($8, $9, $10, 'BRL', '0001', '200001', '3', 'ACTIVE', $11)`,
      [ids.accounts.A1, tenantA, customers.A1, ids.ledger.A1, ids.accounts.A2, customers.A2, ids.ledger.A2, ids.accounts.B1, tenantB, customers.B1, ids.ledger.B1],
    );
    // A session of A1, as a sign-in would have opened it.
    await sql(
      `insert into identity.session (id, tenant_id, subject, kind, scopes, amr, expires_at) values ($1, $2, $3, 'customer', $4, '{otp}', now() + interval '1 day')`,
      [ids.sessionA1, tenantA, customers.A1, CUSTOMER_SCOPES],
    );

    // The ledger, written by an internal service through its API: directly, as in production (the
    // ledger's writes are @inaccessible through the gateway).
    const ledgerAccounts = await world.direct<{ createLedgerAccounts: { status: string }[] }>(
      'ledger',
      who.service,
      `mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error } }`,
      {
        a: [
          { id: ids.ledger.fundingA, tenantId: tenantA, currency: 'BRL', code: 1 },
          { id: ids.ledger.A1, tenantId: tenantA, customerId: customers.A1, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
          { id: ids.ledger.A2, tenantId: tenantA, customerId: customers.A2, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
          { id: ids.ledger.B1, tenantId: tenantB, customerId: customers.B1, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
        ],
      },
    );
    assert.deepEqual(ledgerAccounts.data?.createLedgerAccounts.map((r) => r.status), ['CREATED', 'CREATED', 'CREATED', 'CREATED'], JSON.stringify(ledgerAccounts));
    const transfers = await world.direct<{ createTransfers: { status: string }[] }>(
      'ledger',
      who.service,
      `mutation T($t: [TransferInput!]!) { createTransfers(transfers: $t) { id status error } }`,
      {
        t: [
          { id: ids.transfers.fundA1, debitAccountId: ids.ledger.fundingA, creditAccountId: ids.ledger.A1, amount: '100000', currency: 'BRL', code: 1 },
          { id: ids.transfers.A1toA2, debitAccountId: ids.ledger.A1, creditAccountId: ids.ledger.A2, amount: '2500', currency: 'BRL', code: 2, metadata: { note: 'lunch' } },
          { id: ids.transfers.holdA1, debitAccountId: ids.ledger.A1, creditAccountId: ids.ledger.A2, amount: '1000', currency: 'BRL', code: 3, pending: true },
        ],
      },
    );
    assert.deepEqual(transfers.data?.createTransfers.map((r) => r.status), ['CREATED', 'CREATED', 'CREATED'], JSON.stringify(transfers));
    // A checkpoint, so inclusion proofs exist for the owner (and so their refusal means something).
    const checkpoint = await world.gateway<{ createLedgerCheckpoint: { treeSize: string } | null }>(who.operator, `mutation { createLedgerCheckpoint { treeSize } }`);
    assert.ok(checkpoint.data?.createLedgerCheckpoint, JSON.stringify(checkpoint));
    return world;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
