import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { requestFingerprint } from '@baas/idempotency';
import { createPiiVault, generatePiiKey } from '@baas/pii';
import { derivedUuid } from '@baas/server';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createWebhookDeliveryStore } from '../../src/store/webhook-delivery-store';
import { createWebhookEndpointStore } from '../../src/store/webhook-endpoint-store';
import { once, type ReplayDeps } from '../../src/use-cases/replay-webhook-delivery';

describe('replay and ping keys (real PostgreSQL)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let deps: ReplayDeps;
  let clock = new Date();

  before(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(PrismaClient, db.url);
    deps = { endpoints: createWebhookEndpointStore(prisma), deliveries: createWebhookDeliveryStore(prisma, createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() })), now: () => clock };
  });
  after(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('one answer per key; another request under it is refused; a key whose first call is unfinished is in flight, then runs again', async () => {
    const tenant = uuidv7();
    const key = uuidv7();
    let runs = 0;
    const work = async () => ({ n: ++runs });
    assert.deepEqual(await once(deps, tenant, key, 'ping', { a: 1 }, work), { n: 1 });
    assert.deepEqual(await once(deps, tenant, key, 'ping', { a: 1 }, work), { n: 1 }, 'replayed, not run');
    await assert.rejects(once(deps, tenant, key, 'ping', { a: 2 }, work), { code: 'IDEMPOTENCY_KEY_REUSED' });
    await assert.rejects(once(deps, tenant, key, 'replay-events', { a: 1 }, work), { code: 'IDEMPOTENCY_KEY_REUSED' }, 'one key, one operation');
    await assert.rejects(once(deps, tenant, 'not-a-uuid', 'ping', {}, work), { code: 'BAD_USER_INPUT' });
    // Another tenant's use of the same key is its own.
    assert.deepEqual(await once(deps, uuidv7(), key, 'ping', { a: 1 }, work), { n: 2 });

    // A first call that has not stored its answer yet.
    const stuck = uuidv7();
    clock = new Date();
    await deps.deliveries.claimRequest(derivedUuid(`webhooks:request:${tenant}:${stuck}`), tenant, requestFingerprint('webhook-ping/v1', { a: 1 }), { pending: true });
    await assert.rejects(once(deps, tenant, stuck, 'ping', { a: 1 }, work), { code: 'IDEMPOTENCY_KEY_IN_FLIGHT' });
    clock = new Date(Date.now() + 31_000);
    assert.deepEqual(await once(deps, tenant, stuck, 'ping', { a: 1 }, work), { n: 3 }, 'after 30 s it was a crash: run again');
    assert.deepEqual(await once(deps, tenant, stuck, 'ping', { a: 1 }, work), { n: 3 });
  });
});
