import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createMongoStore, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { createKycCaseStore } from '../src/store/kyc-case-store';
import { kycCollections } from '../src/store/kyc-collections';

const MONGO_URL = 'mongodb://127.0.0.1:27017';

/** KYC's store on the real MongoDB-protocol server, in a database of its own, dropped afterwards. */
describe('kyc store on the real MongoDB-protocol server', { timeout: 60_000 }, () => {
  const database = `kyc_test_${randomBytes(6).toString('hex')}`;
  let mongo: MongoStore<typeof kycCollections>;

  before(async () => {
    mongo = await createMongoStore({ url: MONGO_URL, database, service: 'kyc-test', logger: createLogger({ service: 'kyc-test', level: 'silent' }), collections: kycCollections });
  });

  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  it('creates kyc_cases with its index, and says whether its schema is enforced', () => {
    const [cases] = mongo.describe().collections;
    assert.equal(cases!.name, 'kyc_cases');
    assert.deepEqual(cases!.indexes.map((i) => [i.name, i.enforced]), [['customer_created', true]]);
    assert.equal(cases!.validation.requested, true);
    if (!cases!.validation.enforced) assert.ok(cases!.validation.reason);
  });

  it('reads cases by id, absent ids left out', async () => {
    const doc = { _id: `kyc-${randomUUID()}`, customerId: randomUUID(), status: 'OPEN', createdAt: new Date('2026-01-02T03:04:05Z') };
    await mongo.collections.cases.insertOne(doc);
    assert.deepEqual(await createKycCaseStore(mongo.collections.cases).findByIds([doc._id, 'kyc-absent']), [{ ...doc, id: doc._id }]);
  });
});
