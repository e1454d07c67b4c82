import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { getCard, type GetCardDeps } from '../../src/use-cases/get-card';

const operator: Identity = { subject: 'ops-cards', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: [] };
const customer: Identity = { subject: randomUUID(), kind: 'customer', tenantId: randomUUID(), scopes: [] };

/** The use case's rule, without a store: who may read, and which ids reach the loader at all. */
describe('getCard', () => {
  const reads: string[] = [];
  const deps: GetCardDeps = { cards: { load: async (id) => (reads.push(id), null) } };

  it('refuses the anonymous (UNAUTHENTICATED) and customers (FORBIDDEN) before any read', async () => {
    reads.length = 0;
    await assert.rejects(getCard(deps, null, randomUUID()), { code: 'UNAUTHENTICATED' });
    await assert.rejects(getCard(deps, customer, randomUUID()), { code: 'FORBIDDEN' });
    assert.deepEqual(reads, []);
  });

  it('answers null for an id that is not a UUID, without a read', async () => {
    reads.length = 0;
    assert.equal(await getCard(deps, operator, 'not-a-uuid'), null);
    assert.deepEqual(reads, []);
  });

  it('operators and internal services read through the loader', async () => {
    reads.length = 0;
    const id = randomUUID();
    await getCard(deps, operator, id);
    await getCard(deps, service, id);
    assert.deepEqual(reads, [id, id]);
  });
});
