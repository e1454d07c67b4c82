import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { MongoClient } from 'mongodb';
import { createPiiVault, parsePiiKeys } from '@baas/pii';
// KYC keeps applicants sealed: the seed writes through kyc's own store with the platform's PII keys.
import { createApplicationStore } from '../../subgraphs/kyc/src/store/application-store';
import { createClaims } from '../../subgraphs/kyc/src/store/claims';
import neo4j from 'neo4j-driver';
import pg from 'pg';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { removeRiskRecords, seedRiskAssessment } from './risk-fixtures';
import { SUBGRAPHS } from '../../schema/subgraphs';

const MONGO_URL = 'mongodb://127.0.0.1:27017';
const NEO4J_URL = 'bolt://127.0.0.1:7687';

/**
 * Every subgraph answers through the gateway from its own real store: PostgreSQL (ledger,
 * payments, cards), MongoDB (kyc) and Neo4j (risk). Internal data is for operators only.
 */
describe('every subgraph on its real store, through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let mongo: MongoClient;
  const mongoDatabase = `baas_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const driver = neo4j.driver(NEO4J_URL);
  const ids = { ledgerA: randomUUID(), ledgerB: randomUUID(), transfer: randomUUID(), payment: randomUUID(), card: randomUUID(), kyc: `kyc-${randomUUID()}`, risk: `risk-${randomUUID()}` };
  let operator: string;
  let customer: string;
  const tenant = randomUUID();
  const pii = { PII_KEYS: `stores:${randomBytes(32).toString('base64')}`, PII_BLIND_INDEX_KEY: randomBytes(32).toString('base64') };

  before(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();

    await client.query(
      `insert into payments.payment_order (id, tenant_id, customer_id, account_id, ledger_account_id, direction, rail, amount, currency, state, request_hash) values ($1, $2, $3, $4, $5, 'OUT', 'PIX', 9007199254740993, 'BRL', 'SETTLED', 'k1')`,
      [ids.payment, tenant, randomUUID(), randomUUID(), randomUUID()],
    );
    await client.query(
      `insert into cards.card (id, tenant_id, customer_id, account_id, ledger_account_id, currency, form, state, brand, first6, last4, pan_index, expiry, request_hash)
       values ($1, $2, $3, $4, $5, 'BRL', 'VIRTUAL', 'ACTIVE', 'VISA', '999999', '4242', $6, '3012', $6)`,
      [ids.card, tenant, randomUUID(), randomUUID(), randomUUID(), `stores-${ids.card}`],
    );
    await client.end();
    mongo = await new MongoClient(MONGO_URL).connect();
    const kycDb = mongo.db(mongoDatabase);
    const vault = createPiiVault({ keys: parsePiiKeys(pii.PII_KEYS), activeKeyId: 'stores', blindIndexKey: pii.PII_BLIND_INDEX_KEY });
    await createApplicationStore(kycDb.collection('kyc_applications'), createClaims(kycDb.collection('kyc_claims')), vault).insert({
      id: ids.kyc,
      tenantId: tenant,
      customerId: randomUUID(),
      state: 'DRAFT',
      requestHash: 'seed',
      applicant: { fullName: 'Seed Person', cpf: '52998224725', dateOfBirth: '1990-01-01', nationality: null },
      createdAt: new Date('2026-01-02T03:04:05Z'),
    });
    ids.risk = await seedRiskAssessment(driver, { movementId: randomUUID(), tenantId: tenant, customerId: randomUUID(), scoreBps: 1250, decision: 'REVIEW', createdAt: new Date('2026-01-02T03:04:05.000Z') });

    platform = await startPlatform({ databaseUrl: db.url, env: { MONGO_DATABASE: mongoDatabase, ...pii } });
    operator = await platform.mintToken({ subject: 'ops-1', kind: 'operator', tenantId: null, scopes: [] });
    // The ledger is written through its own API (it computes hashes, journal and outbox), directly:
    // its writes are @inaccessible through the gateway.
    const write = await platform.callSubgraph<{ createLedgerAccounts: { status: string }[]; createTransfers: { status: string }[] }>(
      'ledger',
      `mutation Seed($accounts: [CreateLedgerAccountInput!]!, $transfers: [TransferInput!]!) {
        createLedgerAccounts(accounts: $accounts) { status }
        createTransfers(transfers: $transfers) { status }
      }`,
      {
        accounts: [
          { id: ids.ledgerA, tenantId: tenant, currency: 'BRL', code: 100 },
          { id: ids.ledgerB, tenantId: tenant, currency: 'BRL', code: 200 },
        ],
        transfers: [{ id: ids.transfer, debitAccountId: ids.ledgerA, creditAccountId: ids.ledgerB, amount: '12345', currency: 'BRL', code: 1 }],
      },
      { subject: 'ops-1', kind: 'operator', tenantId: null, scopes: [] },
    );
    assert.equal(write.errors, undefined, JSON.stringify(write.errors));
    assert.deepEqual([...write.data!.createLedgerAccounts, ...write.data!.createTransfers].map((r) => r.status), ['CREATED', 'CREATED', 'CREATED']);
    customer = await platform.mintToken({ subject: randomUUID(), kind: 'customer', tenantId: tenant, scopes: [] });
  });

  after(async () => {
    await platform?.stop();
    await mongo?.db(mongoDatabase).dropDatabase();
    await mongo?.close();
    await removeRiskRecords(driver, { assessments: [ids.risk] }).catch(() => undefined);
    await driver.close();
    await db?.drop();
  });

  const query = parse(`query Internal($ledger: ID!, $transfer: ID!, $payment: ID!, $card: ID!, $kyc: ID!, $risk: ID!) {
    ledgerAccount(id: $ledger) { id currency balance { posted { minorUnits currency } } }
    transfer(id: $transfer) { id kind amount { minorUnits currency } debitAccount { id code } creditAccount { id code } }
    paymentOrder(id: $payment) { id rail amount { minorUnits currency } }
    card(id: $card) { id last4 brand }
    kycApplication(id: $kyc) { id state createdAt applicant { cpfMasked } }
    riskAssessment(id: $risk) { id scoreBps decision }
  }`);
  const variables = () => ({ ledger: ids.ledgerB, transfer: ids.transfer, payment: ids.payment, card: ids.card, kyc: ids.kyc, risk: ids.risk });

  it('an operator reads each domain, with money as exact minor-unit strings', async () => {
    const res = await graphqlRequest<Record<string, Record<string, unknown>>, unknown>({ url: platform.gatewayUrl, document: query, variables: variables(), token: operator });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const data = res.data!;
    assert.deepEqual((data.ledgerAccount!.balance as { posted: unknown }).posted, { minorUnits: '12345', currency: 'BRL' });
    assert.deepEqual(data.transfer!.debitAccount, { id: ids.ledgerA, code: 100 });
    assert.deepEqual(data.paymentOrder!.amount, { minorUnits: '9007199254740993', currency: 'BRL' }, 'beyond 2^53, exact');
    assert.equal(data.card!.last4, '4242');
    assert.equal(data.kycApplication!.state, 'DRAFT');
    assert.equal(data.kycApplication!.createdAt, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(data.kycApplication!.applicant, { cpfMasked: '***.982.247-**' }, 'sealed at rest, opened and masked');
    assert.deepEqual(data.riskAssessment, { id: ids.risk, scoreBps: 1250, decision: 'REVIEW' });
  });

  it('a customer gets FORBIDDEN for every internal field, and nothing else leaks', async () => {
    const res = await graphqlRequest<Record<string, unknown>, unknown>({ url: platform.gatewayUrl, document: query, variables: variables(), token: customer });
    for (const field of ['ledgerAccount', 'transfer', 'paymentOrder', 'card', 'kycApplication', 'riskAssessment']) assert.equal(res.data?.[field], null, field);
    // KYC answers another customer's application FORBIDDEN whether or not it exists, as the internal domains do.
    const codes = new Set(res.errors?.map((e) => e.extensions?.code));
    assert.deepEqual([...codes].sort(), ['FORBIDDEN']);
  });

  it('anonymous callers get UNAUTHENTICATED', async () => {
    const res = await graphqlRequest<Record<string, unknown>, unknown>({ url: platform.gatewayUrl, document: query, variables: variables() });
    assert.deepEqual([...new Set(res.errors?.map((e) => e.extensions?.code))], ['UNAUTHENTICATED']);
  });

  it('the gateway is ready: every subgraph healthy', async () => {
    const res = await fetch(platform.gatewayUrl.replace('/graphql', '/readyz'));
    const body = (await res.json()) as { subgraphs: Record<string, { healthy: boolean }> };
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(body.subgraphs).sort(), SUBGRAPHS.map((s) => s.name).sort());
  });
});
