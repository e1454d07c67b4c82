import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import type { CardRow } from '../../src/store/card-store';
import { getCard, type GetCardDeps } from '../../src/use-cases/get-card';

const tenantId = randomUUID();
const holderId = randomUUID();
const card = { id: randomUUID(), tenantId, customerId: holderId } as CardRow;
const operator: Identity = { subject: 'ops-cards', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: [] };
const holder: Identity = { subject: holderId, kind: 'customer', tenantId, scopes: [] };
const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId, scopes: [] };
const neighbour: Identity = { subject: randomUUID(), kind: 'customer', tenantId, scopes: [] };
const otherClient: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: randomUUID(), scopes: ['cards:write'] };

/** The use case's rule, without a store: who sees a card, and which ids reach the loader at all. */
describe('getCard', () => {
  const reads: string[] = [];
  const deps: GetCardDeps = { cards: { load: async (id) => (reads.push(id), id === card.id ? card : null) } };

  it('refuses the anonymous (UNAUTHENTICATED) before any read', async () => {
    reads.length = 0;
    await assert.rejects(getCard(deps, null, card.id), { code: 'UNAUTHENTICATED' });
    assert.deepEqual(reads, []);
  });

  it('answers the platform null for an id that is not a UUID, without a read', async () => {
    reads.length = 0;
    assert.equal(await getCard(deps, operator, 'not-a-uuid'), null);
    assert.deepEqual(reads, []);
  });

  it('the holder, its tenant client, operators and services see the card', async () => {
    for (const who of [holder, client, operator, service]) assert.equal(await getCard(deps, who, card.id), card);
  });

  it("another customer of the tenant and another tenant's client are FORBIDDEN, as for a card that does not exist; the platform gets null for none", async () => {
    await assert.rejects(getCard(deps, neighbour, card.id), { code: 'FORBIDDEN' });
    await assert.rejects(getCard(deps, otherClient, card.id), { code: 'FORBIDDEN' });
    await assert.rejects(getCard(deps, otherClient, randomUUID()), { code: 'FORBIDDEN' });
    await assert.rejects(getCard(deps, holder, 'not-a-uuid'), { code: 'FORBIDDEN' });
    assert.equal(await getCard(deps, operator, randomUUID()), null);
  });
});
