import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import neo4j from 'neo4j-driver';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import {
  AccountByIdDocument,
  CreateTenantDocument,
  FundSandboxAccountDocument,
  graphqlRequest,
  OpenAccountDocument,
  SignUpCustomerDocument,
  TransferDocument,
  type GraphQLResponse,
  type Money,
  type RiskAssessment,
  type TransferMutation,
} from '@baas/sdk';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
// The scans' Redis cache of graph features, as the risk subgraph reads it: the tests plant what a
// graph scan would have written (the scans themselves are off on test platforms).
import { createGraphFeatureCache, type GraphFeatureCache } from '../../subgraphs/risk/src/store/graph-feature-cache';

const REDIS_URL = 'redis://127.0.0.1:6379';
const NEO4J_URL = 'bolt://127.0.0.1:7687';

/** What a signed-in customer's token carries (identity's CUSTOMER_SCOPES). */
export const CUSTOMER_SCOPES = ['customer:read', 'customer:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:read', 'cards:write'];
/** A tenant backend: customers, money, settings. */
const CLIENT_SCOPES = ['customers:read', 'customers:write', 'accounts:read', 'accounts:write', 'tenant:write'];

/** An assessment as the tenant reads it (everything but the operators-only features). */
export type AssessmentView = Pick<RiskAssessment, 'id' | 'tenantId' | 'customerId' | 'movementId' | 'rail' | 'decision' | 'reasons' | 'scoreBps' | 'modelVersion' | 'createdAt'> & {
  amount: Pick<Money, 'minorUnits' | 'currency'>;
};

const FIELDS = 'id tenantId customerId movementId rail decision reasons scoreBps modelVersion createdAt amount { minorUnits currency }';
export const RISK_ASSESSMENTS: TypedDocumentNode<{ riskAssessments: { items: AssessmentView[]; hasNextPage: boolean } }, { customerId?: string; tenantId?: string; first?: number }> = parse(
  `query RiskAssessments($customerId: ID, $tenantId: ID, $first: Int) { riskAssessments(customerId: $customerId, tenantId: $tenantId, first: $first) { items { ${FIELDS} } hasNextPage } }`,
);
export const RISK_ASSESSMENT: TypedDocumentNode<{ riskAssessment: AssessmentView | null }, { id: string }> = parse(`query RiskAssessment($id: ID!) { riskAssessment(id: $id) { ${FIELDS} } }`);
export const RISK_ASSESSMENT_FEATURES: TypedDocumentNode<{ riskAssessment: (AssessmentView & { features: string[] }) | null }, { id: string }> = parse(
  `query RiskAssessmentFeatures($id: ID!) { riskAssessment(id: $id) { ${FIELDS} features } }`,
);
export const SET_ACCOUNT_SETTINGS: TypedDocumentNode<{ setTenantAccountSettings: { tenantId: string; riskFailMode: string } }, { input: { tenantId: string; currencies: string[]; riskFailMode?: 'OPEN' | 'CLOSED' } }> = parse(
  `mutation SetTenantAccountSettings($input: TenantAccountSettingsInput!) { setTenantAccountSettings(input: $input) { tenantId riskFailMode } }`,
);

export const SET_RISK_SETTINGS: TypedDocumentNode<{ setRiskSettings: { tenantId: string; reviewAtBps: number; blockAtBps: number } }, { input: { tenantId?: string; reviewAtBps?: number; blockAtBps?: number } }> = parse(
  `mutation SetRiskSettings($input: SetRiskSettingsInput!) { setRiskSettings(input: $input) { tenantId reviewAtBps blockAtBps } }`,
);

/** Who calls: an identity (a token is minted for it) or an access token a real sign-in gave. */
export type Caller = Identity | string | null;
export type Tenant = { id: string; client: Identity };
export type Customer = { id: string; tenantId: string; email: string; identity: Identity };
export type OpenedAccount = { id: string; ledgerAccountId: string };

export type RiskWorld = {
  platform: TestPlatform;
  db: TestDatabase;
  /** The risk subgraph's graph-feature cache on this platform's Redis prefix. */
  graphFeatures: GraphFeatureCache;
  operator: Identity;
  request<T, V>(document: TypedDocumentNode<T, V>, variables: V, as: Caller, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  ok<T, V>(document: TypedDocumentNode<T, V>, variables: V, as: Caller, headers?: Record<string, string>): Promise<T>;
  newTenant(): Promise<Tenant>;
  newCustomer(tenant: Tenant): Promise<Customer>;
  /** Opens a BRL account for the customer and funds it from the sandbox (0: not funded). */
  openAccount(customer: Customer | { identity: Caller }, fund?: bigint): Promise<OpenedAccount>;
  balance(accountId: string): Promise<{ posted: bigint; available: bigint }>;
  transfer(as: Caller, input: { id?: string; fromAccountId: string; toAccountId: string; amount: bigint }, headers?: Record<string, string>): Promise<GraphQLResponse<TransferMutation>>;
  /** The tenant's assessment of one movement, read as `as` (a tenant client or, naming the tenant, an operator). */
  assessmentOf(as: Caller, customerId: string, movementId: string, tenantId?: string): Promise<AssessmentView | undefined>;
  stop(): Promise<void>;
};

/**
 * A platform on an isolated database with its own Redis prefix (every Redis key its subgraphs
 * write, risk's graph features included, is under it and deleted on stop), and the Neo4j nodes of
 * the tenants it created deleted on stop.
 */
export async function startRiskWorld(opts: { env?: Record<string, string>; processes?: readonly string[]; ledgerRelayProcess?: boolean } = {}): Promise<RiskWorld> {
  const redisPrefix = `e2e-risk-${randomUUID().slice(0, 8)}:`;
  const db = await createTestDatabase();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const driver = neo4j.driver(NEO4J_URL);
  const tenants: string[] = [];
  let platform: TestPlatform | undefined;

  const stop = async () => {
    await platform?.stop();
    if (tenants.length) {
      await driver
        .executeQuery('MATCH (n) WHERE (n:RiskAssessment OR n:RiskSettings OR n:RiskAlert OR n:RiskAlertChange) AND n.tenantId IN $tenants DETACH DELETE n', { tenants })
        .catch(() => undefined);
    }
    await driver.close().catch(() => undefined);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    await db.drop();
  };

  try {
    platform = await startPlatform({ databaseUrl: db.url, env: { REDIS_PREFIX: redisPrefix, ...opts.env }, gatewayEnv: { RATE_LIMIT_MAX: '100000' }, ...(opts.processes ? { processes: opts.processes } : {}), ...(opts.ledgerRelayProcess ? { ledgerRelayProcess: true } : {}) });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const running = platform;
  const operator: Identity = { subject: 'ops-risk-e2e', kind: 'operator', tenantId: null, scopes: [] };
  const tokens = new Map<Identity, Promise<string>>();
  const tokenFor = (as: Caller): Promise<string | undefined> | string | undefined => {
    if (as === null) return undefined;
    if (typeof as === 'string') return as;
    let token = tokens.get(as);
    if (!token) tokens.set(as, (token = running.mintToken(as, 3600)));
    return token;
  };
  const request = async <T, V>(document: TypedDocumentNode<T, V>, variables: V, as: Caller, headers?: Record<string, string>) => {
    const token = await tokenFor(as);
    return graphqlRequest<T, V>({ url: running.gatewayUrl, document, variables, ...(token ? { token } : {}), ...(headers ? { headers } : {}) });
  };
  const ok = async <T, V>(document: TypedDocumentNode<T, V>, variables: V, as: Caller, headers?: Record<string, string>) => {
    const res = await request(document, variables, as, headers);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  };

  const world: RiskWorld = {
    platform: running,
    db,
    graphFeatures: createGraphFeatureCache(redis, { prefix: `${redisPrefix}gf` }),
    operator,
    request,
    ok,
    async newTenant() {
      const id = uuidv7();
      const created = await ok(CreateTenantDocument, { input: { id, slug: `risk-${id.slice(-12)}`, name: 'Risk e2e', sandbox: true } }, operator);
      assert.equal(created.createTenant.tenant.id, id);
      tenants.push(id);
      return { id, client: { subject: uuidv7(), kind: 'api_client', tenantId: id, scopes: CLIENT_SCOPES } };
    },
    async newCustomer(tenant) {
      const id = uuidv7();
      const base = String(randomInt(100_000_000, 999_999_999));
      const email = `risk.${id.slice(-12)}@example.com`;
      const created = await ok(SignUpCustomerDocument, { input: { id, kind: 'PERSON', displayName: 'Risk Person', taxId: base + cpfCheckDigits(base), email } }, tenant.client);
      assert.equal(created.createCustomer.customer.id, id);
      return { id, tenantId: tenant.id, email, identity: { subject: id, kind: 'customer', tenantId: tenant.id, scopes: CUSTOMER_SCOPES } };
    },
    async openAccount(customer, fund = 0n) {
      const id = uuidv7();
      await ok(OpenAccountDocument, { input: { id, currency: 'BRL' } }, customer.identity);
      if (fund > 0n) {
        const funded = await ok(FundSandboxAccountDocument, { input: { id: uuidv7(), accountId: id, amount: fund.toString() } }, operator);
        assert.equal(funded.fundSandboxAccount.status, 'POSTED');
      }
      const read = await request(parse(`query L($id: ID!) { account(id: $id) { ledgerAccount { id } } }`) as TypedDocumentNode<{ account: { ledgerAccount: { id: string } } | null }, { id: string }>, { id }, operator);
      const ledgerAccountId = read.data?.account?.ledgerAccount.id;
      assert.ok(ledgerAccountId, `ledger account of ${id}: ${JSON.stringify(read)}`);
      return { id, ledgerAccountId };
    },
    async balance(accountId) {
      const data = await ok(AccountByIdDocument, { id: accountId }, operator);
      return { posted: BigInt(data.account!.balance.posted.minorUnits), available: BigInt(data.account!.balance.available.minorUnits) };
    },
    transfer(as, input, headers) {
      const variables = { input: { id: input.id ?? uuidv7(), fromAccountId: input.fromAccountId, toAccountId: input.toAccountId, amount: input.amount.toString() } };
      return request(TransferDocument, variables, as, headers);
    },
    async assessmentOf(as, customerId, movementId, tenantId) {
      const page = await ok(RISK_ASSESSMENTS, { customerId, first: 100, ...(tenantId ? { tenantId } : {}) }, as);
      return page.riskAssessments.items.find((a) => a.movementId === movementId);
    },
    stop,
  };
  return world;
}

/** The first error's code, and its details (where the policy puts reasons, action, decision). */
export const errorCode = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code as string | undefined;
export const errorDetails = (res: GraphQLResponse<unknown>) => (res.errors?.[0]?.extensions?.details ?? {}) as { reasons?: string[]; action?: string; decision?: string; maxAgeSeconds?: number };
