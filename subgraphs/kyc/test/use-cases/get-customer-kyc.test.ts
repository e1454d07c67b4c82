import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CustomerKycRow } from '../../src/store/customer-kyc-store';
import { getCustomerKyc } from '../../src/use-cases/get-customer-kyc';
import { getCustomerKycLevel } from '../../src/use-cases/get-customer-kyc-level';
import { clientOf, customerOf, operator, service } from '../kyc-fixture';

/** Customer.kyc and the internal level query without a store: who reads whose standing. */
describe('getCustomerKyc / getCustomerKycLevel', () => {
  const applied = customerOf();
  const fresh = customerOf(applied.tenantId!);
  const row: CustomerKycRow = { customerId: applied.subject, tenantId: applied.tenantId!, level: 1, status: 'APPROVED', applicationId: 'a', updatedAt: new Date() };
  const deps = {
    customers: { load: async (id: string) => (id === applied.subject ? row : null) },
    customerInTenant: async (tenantId: string, customerId: string) => tenantId === applied.tenantId && customerId === fresh.subject,
  };
  const view = { customerId: applied.subject, tenantId: applied.tenantId, level: 1, status: 'APPROVED' };
  const none = (id: string) => ({ customerId: id, tenantId: null, level: 0, status: 'NONE' });

  it('the customer, its tenant clients and the platform read it; NONE at 0 for a customer who never applied', async () => {
    for (const who of [applied, clientOf(applied.tenantId!, []), operator, service]) assert.deepEqual(await getCustomerKyc(deps, who, applied.subject), view);
    assert.deepEqual(await getCustomerKyc(deps, fresh, fresh.subject), none(fresh.subject));
    assert.deepEqual(await getCustomerKyc(deps, clientOf(applied.tenantId!), fresh.subject), none(fresh.subject));
  });

  it('FORBIDDEN to another customer and to another tenant, whether or not the customer applied or exists', async () => {
    for (const id of [applied.subject, fresh.subject, randomUUID()]) {
      await assert.rejects(getCustomerKyc(deps, customerOf(applied.tenantId!), id), { code: 'FORBIDDEN' });
      await assert.rejects(getCustomerKyc(deps, clientOf(randomUUID()), id), { code: 'FORBIDDEN' });
    }
  });

  it('the internal query answers the level, NONE at 0 when never applied', async () => {
    assert.deepEqual(await getCustomerKycLevel(deps, applied.subject), view);
    assert.deepEqual(await getCustomerKycLevel(deps, fresh.subject), none(fresh.subject));
  });
});
