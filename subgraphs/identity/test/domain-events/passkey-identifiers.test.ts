import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createPiiVault, generatePiiKey, type PiiVault } from '@baas/pii';
import { createTestDatabase, SoftwareAuthenticator } from '@baas/testing';
import { createIdentityLoaders } from '../../src/context';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createIdentityStores } from '../../src/store/identity-stores';
import { createPasskeyChallengeStore } from '../../src/store/passkey-challenge-store';
import { finishPasskeyEnrolment } from '../../src/use-cases/finish-passkey-enrolment';
import { startPasskeyEnrolment } from '../../src/use-cases/start-passkey-enrolment';
import { CUSTOMER_IDENTIFIERS_SUBJECT, type CustomerIdentifiersEvent } from '../../src/workers/domain-event-stream';
import { createCustomer } from '../helpers/seed';

/**
 * Registering a passkey (the first one, right after sign-up) appends one
 * `identity.events.customer.identifiers` event in the transaction that stores it, carrying the
 * SHA-256 hex digest of the credential id, never the credential id itself.
 */
describe('identity domain events: passkey registered (PostgreSQL, Redis)', () => {
  const prefix = `test:identity-domain-events:${randomUUID()}`;
  const origin = 'https://bank.example';
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let redis: Redis;
  let vault: PiiVault;

  before(async () => {
    testDb = await createTestDatabase({ domains: ['identity'] });
    db = createPrismaClient(PrismaClient, testDb.url);
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    vault = createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() });
  });
  after(async () => {
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await db?.$disconnect();
    await testDb?.drop();
  });

  it('writes the digest of the credential id with the passkey', async () => {
    const tenantId = uuidv7();
    await db.tenant.create({ data: { id: tenantId, slug: `t-${tenantId}`, name: 'Test tenant' } });
    const base = String(randomInt(100_000_000, 999_999_999));
    const { customer } = await createCustomer(db, vault, { id: uuidv7(), tenantId, kind: 'PERSON', displayName: 'Ana', taxId: base + cpfCheckDigits(base), email: `ana.${randomUUID().slice(0, 8)}@example.com` });
    const before = await db.domainEventOutbox.count();

    const stores = createIdentityStores(db);
    const deps = {
      stores,
      vault,
      loaders: createIdentityLoaders(stores),
      passkeyChallenges: createPasskeyChallengeStore(redis, prefix),
      relyingParty: { rpId: 'bank.example', rpName: 'Example Bank', origins: [origin] },
      passkeyChanges: { changeStepUpSeconds: 300, firstPasskeyWindowSeconds: 3600, recoveryDelaySeconds: 86_400 },
    };
    const who: Identity = { subject: customer.id, kind: 'customer', tenantId, scopes: [] };
    const start = await startPasskeyEnrolment(deps, who);
    const response = new SoftwareAuthenticator().createCredential({ options: start.options as never, origin });
    const passkey = await finishPasskeyEnrolment(deps, who, { challengeId: start.challengeId, response, nickname: 'Phone' });

    const rows = await db.domainEventOutbox.findMany({ orderBy: { seq: 'asc' }, skip: before });
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.subject, CUSTOMER_IDENTIFIERS_SUBJECT);
    const data = JSON.parse(row.payload) as CustomerIdentifiersEvent;
    assert.equal(data.tenantId, tenantId);
    assert.equal(data.customerId, customer.id);
    assert.deepEqual(data.identifiers, [{ kind: 'DEVICE', value: createHash('sha256').update(passkey.id).digest('hex') }]);
    assert.ok(!row.payload.includes(passkey.id), 'the credential id itself is not in the event');
  });
});
