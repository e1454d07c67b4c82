import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { getRiskAssessment, type GetRiskAssessmentDeps, type StoredAssessment } from '../../src/use-cases/get-risk-assessment';

const tenant = randomUUID();
const operator: Identity = { subject: 'ops-risk', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: [] };
const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: tenant, scopes: [] };
const otherClient: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: randomUUID(), scopes: [] };
const customerId = randomUUID();
const customer: Identity = { subject: customerId, kind: 'customer', tenantId: tenant, scopes: [] };

const row = { id: 'risk-1', tenantId: tenant, customerId } as StoredAssessment;
const deps: GetRiskAssessmentDeps = { assessments: { load: async (id) => (id === row.id ? row : null) } };

/** The record rule of assessments, without a store (the API tests run it on the real stores). */
describe('getRiskAssessment', () => {
  it('the anonymous is UNAUTHENTICATED', async () => {
    await assert.rejects(getRiskAssessment(deps, null, 'risk-1'), { code: 'UNAUTHENTICATED' });
  });

  it('operators, services and the owning tenant read it', async () => {
    for (const who of [operator, service, client]) assert.equal(await getRiskAssessment(deps, who, 'risk-1'), row);
  });

  it("another tenant's client and a customer (even the assessed one) get FORBIDDEN, as for an id that does not exist", async () => {
    for (const who of [otherClient, customer]) {
      await assert.rejects(getRiskAssessment(deps, who, 'risk-1'), { code: 'FORBIDDEN' });
      await assert.rejects(getRiskAssessment(deps, who, 'risk-absent'), { code: 'FORBIDDEN' });
    }
  });

  it('platform callers learn that an id does not exist (NOT_FOUND)', async () => {
    await assert.rejects(getRiskAssessment(deps, operator, 'risk-absent'), { code: 'NOT_FOUND' });
  });
});
