import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { MongoClient } from 'mongodb';
import { uuidv7 } from '@baas/db';
import { AccountByIdDocument, CustomerKycDocument, OpenAccountDocument, type TenantAccountSettings, type TenantAccountSettingsInput } from '@baas/sdk';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
// The kyc subgraph's level store, as its approvals write it (an approval raises kyc_customers.level):
// the test records an approval there rather than running the model checks.
import { createCustomerKycStore } from '../../subgraphs/kyc/src/store/customer-kyc-store';
import type { CustomerKycDoc } from '../../subgraphs/kyc/src/store/kyc-collections';
import { errorCode, startRiskWorld, type Customer, type RiskWorld, type Tenant } from '../risk/risk-world';

const MONGO_URL = 'mongodb://127.0.0.1:27017';

type SettingsView = Pick<TenantAccountSettings, 'tenantId' | 'currencies' | 'requireKycLevel'>;
const SET_SETTINGS: TypedDocumentNode<{ setTenantAccountSettings: SettingsView }, { input: TenantAccountSettingsInput }> = parse(
  `mutation SetKycGate($input: TenantAccountSettingsInput!) { setTenantAccountSettings(input: $input) { tenantId currencies requireKycLevel } }`,
);
const SETTINGS: TypedDocumentNode<{ tenantAccountSettings: SettingsView }, { tenantId?: string }> = parse(
  `query KycGateSettings($tenantId: ID) { tenantAccountSettings(tenantId: $tenantId) { tenantId currencies requireKycLevel } }`,
);

const reasonOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (res.errors?.[0]?.extensions?.details as { reason?: string } | undefined)?.reason;

/**
 * Issue 16: a tenant can require KYC before accounts open. Through the gateway with the typed SDK:
 * an operator sets requireKycLevel 1; an unverified customer (and the tenant's client for them) is
 * refused FORBIDDEN KYC_REQUIRED with nothing written; once kyc records the approval (level 1) the
 * same customer opens, and a repeat replays; with kyc down, openings are refused
 * SUBGRAPH_UNAVAILABLE (fail closed). A tenant that requires nothing never waits on kyc.
 */
describe('accounts: the KYC gate (issue 16)', () => {
  const mongoDatabase = `baas_test_kycgate_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  let mongo: MongoClient;
  let w: RiskWorld;
  let tenant: Tenant;
  let free: Tenant;
  let verified: Customer;
  let unverified: Customer;

  before(async () => {
    mongo = new MongoClient(MONGO_URL);
    await mongo.connect();
    w = await startRiskWorld({ env: { MONGO_DATABASE: mongoDatabase, AUDIT_DATABASE: mongoDatabase } });
    tenant = await w.newTenant();
    free = await w.newTenant();
    verified = await w.newCustomer(tenant);
    unverified = await w.newCustomer(tenant);
  });
  after(async () => {
    await w?.stop();
    await mongo?.db(mongoDatabase).dropDatabase().catch(() => undefined);
    await mongo?.close();
  });

  const open = (as: Customer | Tenant, customerId?: string, id = uuidv7()) =>
    w.request(OpenAccountDocument, { input: { id, currency: 'BRL', ...(customerId ? { customerId } : {}) } }, 'identity' in as ? as.identity : as.client);
  /** Whether an account was written: an operator reading an absent one gets NOT_FOUND. */
  const exists = async (id: string) => {
    const res = await w.request(AccountByIdDocument, { id }, w.operator);
    if (errorCode(res) === 'NOT_FOUND') return false;
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data?.account != null;
  };

  it('an operator sets requireKycLevel; the tenant client reads it; out of range is BAD_USER_INPUT', async () => {
    const set = await w.ok(SET_SETTINGS, { input: { tenantId: tenant.id, currencies: ['BRL'], requireKycLevel: 1 } }, w.operator);
    assert.deepEqual(set.setTenantAccountSettings, { tenantId: tenant.id, currencies: ['BRL'], requireKycLevel: 1 });
    assert.equal((await w.ok(SETTINGS, {}, tenant.client)).tenantAccountSettings.requireKycLevel, 1);
    assert.equal((await w.ok(SETTINGS, { tenantId: free.id }, w.operator)).tenantAccountSettings.requireKycLevel, 0);
    const bad = await w.request(SET_SETTINGS, { input: { tenantId: tenant.id, currencies: ['BRL'], requireKycLevel: 10 } }, w.operator);
    assert.equal(errorCode(bad), 'BAD_USER_INPUT');
    assert.equal(errorCode(await w.request(SET_SETTINGS, { input: { tenantId: tenant.id, currencies: ['BRL'], requireKycLevel: 0 } }, tenant.client)), 'FORBIDDEN');
    assert.equal((await w.ok(SETTINGS, {}, tenant.client)).tenantAccountSettings.requireKycLevel, 1);
  });

  it('an unverified customer is refused FORBIDDEN KYC_REQUIRED, for itself and through its tenant client; nothing written', async () => {
    const id = uuidv7();
    const self = await open(unverified, undefined, id);
    assert.equal(errorCode(self), 'FORBIDDEN', JSON.stringify(self.errors));
    assert.equal(reasonOf(self), 'KYC_REQUIRED');
    const byClient = await open(tenant, unverified.id, id);
    assert.deepEqual([errorCode(byClient), reasonOf(byClient)], ['FORBIDDEN', 'KYC_REQUIRED']);
    assert.equal(await exists(id), false);
  });

  it('once kyc records the approval (level 1) the customer opens; a repeat replays', async () => {
    const levels = createCustomerKycStore(mongo.db(mongoDatabase).collection<CustomerKycDoc>('kyc_customers'));
    await levels.record({ customerId: verified.id, tenantId: tenant.id, level: 1, status: 'APPROVED', applicationId: uuidv7(), updatedAt: new Date() });
    assert.deepEqual((await w.ok(CustomerKycDocument, { id: verified.id }, verified.identity)).customer?.kyc, { level: 1, status: 'APPROVED' });
    const id = uuidv7();
    const first = await open(verified, undefined, id);
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    assert.equal(first.data!.openAccount.status, 'CREATED');
    const again = await open(verified, undefined, id);
    assert.equal(again.data?.openAccount.status, 'REPLAYED', JSON.stringify(again.errors));
    // Still refused for the unverified one.
    assert.equal(reasonOf(await open(unverified)), 'KYC_REQUIRED');
  });

  it('kyc down: the requiring tenant is refused SUBGRAPH_UNAVAILABLE (fail closed), nothing written; a tenant requiring nothing opens', async () => {
    await w.platform.stopSubgraph('kyc');
    const id = uuidv7();
    const res = await open(verified, undefined, id);
    assert.equal(errorCode(res), 'SUBGRAPH_UNAVAILABLE', JSON.stringify(res.errors));
    assert.equal((res.errors?.[0]?.extensions?.details as { service?: string } | undefined)?.service, 'kyc');
    assert.equal(await exists(id), false);
    const other = await w.newCustomer(free);
    const ok = await open(other);
    assert.equal(ok.data?.openAccount.status, 'CREATED', JSON.stringify(ok.errors));
  });
});
