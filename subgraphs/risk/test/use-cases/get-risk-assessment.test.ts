import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { getRiskAssessment, type GetRiskAssessmentDeps } from '../../src/use-cases/get-risk-assessment';

const operator: Identity = { subject: 'ops-risk', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'payments', kind: 'service', tenantId: null, scopes: [] };
const customer: Identity = { subject: randomUUID(), kind: 'customer', tenantId: randomUUID(), scopes: [] };

/** The use case's rule, without a store: who may read, and that the refused never reach the loader. */
describe('getRiskAssessment', () => {
  const reads: string[] = [];
  const deps: GetRiskAssessmentDeps = { assessments: { load: async (id) => (reads.push(id), null) } };

  it('refuses the anonymous (UNAUTHENTICATED) and customers (FORBIDDEN) before any read', async () => {
    reads.length = 0;
    await assert.rejects(getRiskAssessment(deps, null, 'risk-1'), { code: 'UNAUTHENTICATED' });
    await assert.rejects(getRiskAssessment(deps, customer, 'risk-1'), { code: 'FORBIDDEN' });
    assert.deepEqual(reads, []);
  });

  it('operators and internal services read through the loader', async () => {
    reads.length = 0;
    await getRiskAssessment(deps, operator, 'risk-1');
    await getRiskAssessment(deps, service, 'risk-2');
    assert.deepEqual(reads, ['risk-1', 'risk-2']);
  });
});
