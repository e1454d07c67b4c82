import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { getKycCase, type GetKycCaseDeps } from '../../src/use-cases/get-kyc-case';

const operator: Identity = { subject: 'ops-kyc', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'risk', kind: 'service', tenantId: null, scopes: [] };
const customer: Identity = { subject: randomUUID(), kind: 'customer', tenantId: randomUUID(), scopes: [] };

/** The use case's rule, without a store: who may read, and that the refused never reach the loader. */
describe('getKycCase', () => {
  const reads: string[] = [];
  const deps: GetKycCaseDeps = { cases: { load: async (id) => (reads.push(id), null) } };

  it('refuses the anonymous (UNAUTHENTICATED) and customers (FORBIDDEN) before any read', async () => {
    reads.length = 0;
    await assert.rejects(getKycCase(deps, null, 'kyc-1'), { code: 'UNAUTHENTICATED' });
    await assert.rejects(getKycCase(deps, customer, 'kyc-1'), { code: 'FORBIDDEN' });
    assert.deepEqual(reads, []);
  });

  it('operators and internal services read through the loader', async () => {
    reads.length = 0;
    await getKycCase(deps, operator, 'kyc-1');
    await getKycCase(deps, service, 'kyc-2');
    assert.deepEqual(reads, ['kyc-1', 'kyc-2']);
  });
});
