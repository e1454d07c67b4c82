import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMongoStore, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import type { Applicant } from '../../src/domain/applicant';
import { createKycEventStore, kycEventCollections, type KycEventStore } from '../../src/store/kyc-event-store';
import { createRescreenApprovedApplications } from '../../src/store/rescreen-approved-applications';
import { createRescreenStore, rescreenCollections, type RescreenStore } from '../../src/store/rescreen-store';
import { FIXTURE_SANCTIONS_FILES, importSanctionsFiles } from '../../src/store/sanctions-importer';
import { createSanctionsListStore, type SanctionsListStore } from '../../src/store/sanctions-list-store';
import { rescreenAfterImport, rescreenCustomers, type RescreenDeps, type RescreenResult } from '../../src/workers/rescreen-customers';
import { startRescreenWatcher } from '../../src/workers/rescreen-watcher';
import { createKycFixture, MONGO_URL, randomCpf, type KycFixture } from '../kyc-fixture';

const collections = { ...kycEventCollections, ...rescreenCollections };

// Rescreening approved customers when a sanctions list changes, on the real MongoDB-protocol server
// with the committed fixture lists: a customer named like a listed person becomes a review item and
// a kyc.rescreen.hit event (no names), once per (list version, customer).
describe('rescreenCustomers on the real MongoDB-protocol server with the fixture lists', { timeout: 60_000 }, () => {
  let fx: KycFixture;
  let extra: MongoStore<typeof collections>;
  let lists: SanctionsListStore;
  let rescreen: RescreenStore;
  let events: KycEventStore;
  let deps: RescreenDeps;
  let dir: string;
  const tenantId = randomUUID();
  const listed = { customerId: randomUUID(), cpf: randomCpf() };
  const clean = { customerId: randomUUID(), cpf: randomCpf() };
  const later = { customerId: randomUUID(), cpf: randomCpf() };

  async function approved(customerId: string, applicant: Applicant, state: 'APPROVED' | 'DENIED' = 'APPROVED'): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await fx.deps.applications.insert({ id, tenantId, customerId, state: 'DRAFT', requestHash: 'h', applicant, createdAt: now });
    const done = await fx.deps.applications.update(id, 1, { state, decision: { outcome: state, reasons: [], by: 'SYSTEM', operator: null, at: now } }, now);
    assert.ok(done);
    return id;
  }

  before(async () => {
    fx = await createKycFixture();
    extra = await createMongoStore({ url: MONGO_URL, database: fx.mongo.db.databaseName, service: 'kyc-test', logger: createLogger({ service: 'kyc-test', level: 'silent' }), collections });
    lists = createSanctionsListStore(fx.mongo.collections);
    rescreen = createRescreenStore(extra.collections);
    events = createKycEventStore(extra.collections.kycEvents);
    deps = { lists, applications: fx.deps.applications, rescreen, approved: createRescreenApprovedApplications(fx.mongo.collections.applications), kycEvents: events, pageSize: 2 };
    dir = await mkdtemp(join(tmpdir(), 'kyc-rescreen-'));
  });
  after(async () => {
    await extra?.close();
    await fx?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('does nothing before any list is imported, or when an import changed nothing', async () => {
    assert.equal((await rescreenCustomers(deps)).status, 'NO_LISTS');
    assert.equal(await rescreenAfterImport(deps, [{ changed: false }]), null);
  });

  it('records a review item and a nameless kyc.rescreen.hit for the approved customer named like a listed person', async () => {
    const listedApp = await approved(listed.customerId, { fullName: 'Ana Beatriz Figueiroa Mello', cpf: listed.cpf, dateOfBirth: '1978-07-30', nationality: 'BR' });
    await approved(clean.customerId, { fullName: 'Joana Prates Carvalhido', cpf: clean.cpf, dateOfBirth: '1991-02-11', nationality: 'BR' });
    await approved(randomUUID(), { fullName: 'Ana Beatriz Figueiroa de Mello', cpf: randomCpf(), dateOfBirth: '1978-07-30', nationality: 'BR' }, 'DENIED');

    const results = await importSanctionsFiles(lists, FIXTURE_SANCTIONS_FILES);
    assert.ok(results.every((r) => r.changed));
    const result = await rescreenAfterImport(deps, results);
    assert.ok(result);
    assert.equal(result.status, 'DONE');
    assert.equal(result.listVersion, 'OFAC_SDN@1,PEP@1,UN_CONSOLIDATED@1');
    assert.equal(result.screened, 2, 'only APPROVED applications are screened');
    assert.equal(result.hits, 1);
    assert.equal(result.newReviews, 1);

    const reviews = await rescreen.reviewsOf({ listVersion: result.listVersion });
    assert.equal(reviews.length, 1);
    assert.equal(reviews[0]!.customerId, listed.customerId);
    assert.equal(reviews[0]!.applicationId, listedApp);
    assert.equal(reviews[0]!.status, 'OPEN');
    assert.equal(reviews[0]!.hits[0]!.sourceId, 'PEP-0004');
    assert.ok(reviews[0]!.bestScore >= 0.88);
    assert.ok(!JSON.stringify(reviews[0]).includes(listed.cpf), 'the review holds no applicant data');

    const unsent = await events.unsent(10);
    assert.equal(unsent.length, 1);
    const [event] = unsent;
    assert.equal(event!.type, 'kyc.rescreen.hit');
    assert.deepEqual(
      { tenantId: event!.data.tenantId, customerId: event!.data.customerId, applicationId: event!.data.applicationId, reviewId: event!.data.reviewId, lists: event!.data.lists, categories: event!.data.categories, reasons: event!.data.reasons },
      { tenantId, customerId: listed.customerId, applicationId: listedApp, reviewId: reviews[0]!._id, lists: ['PEP'], categories: ['PEP'], reasons: ['SCREENING_HIT'] },
    );
    const body = JSON.stringify(event);
    for (const secret of ['Figueiroa', 'Mello', 'Beatriz', listed.cpf, '1978', 'PEP-0004']) assert.ok(!body.includes(secret), `the event carries no ${secret}`);
  });

  it('is idempotent per (list version, customer): a repeat, or a run started over, adds nothing', async () => {
    const again = await rescreenCustomers(deps);
    assert.equal(again.status, 'ALREADY_DONE');
    await extra.collections.rescreenRuns.deleteMany({});
    const over = await rescreenCustomers(deps);
    assert.equal(over.status, 'DONE');
    assert.equal(over.hits, 1);
    assert.equal(over.newReviews, 0);
    assert.equal((await rescreen.reviewsOf({})).length, 1);
    assert.equal(await events.countUnsent(), 1);
  });

  it('a changed list rescreens again: a customer newly named on it is found, once per version', async () => {
    await approved(later.customerId, { fullName: 'Teodoro Valadares Pimentel', cpf: later.cpf, dateOfBirth: '1969-09-09', nationality: 'BR' });
    const pep = join(dir, 'pep.csv');
    await writeFile(pep, (await readFile(FIXTURE_SANCTIONS_FILES.pepCsvPath, 'utf8')).trimEnd() + '\nPEP-9001,Teodoro Valadares Pimentel,,1969-09-09,BR,Deputy (fictional)\n');
    const results = await importSanctionsFiles(lists, { pepCsvPath: pep });
    assert.deepEqual(results.map((r) => [r.listId, r.changed, r.version.version]), [['PEP', true, 2]]);
    const result = await rescreenAfterImport(deps, results);
    assert.equal(result?.listVersion, 'OFAC_SDN@1,PEP@2,UN_CONSOLIDATED@1');
    assert.equal(result?.screened, 3);
    assert.equal(result?.hits, 2);
    const reviews = await rescreen.reviewsOf({ listVersion: result!.listVersion });
    assert.deepEqual(reviews.map((r) => r.customerId).sort(), [listed.customerId, later.customerId].sort());
    assert.equal(await events.countUnsent(), 3);
    assert.equal((await rescreenCustomers(deps)).status, 'ALREADY_DONE');
  });

  it('the watcher rescreens when another process imported a new version, once', async () => {
    const runs: RescreenResult[] = [];
    const watcher = startRescreenWatcher(deps, { intervalMs: 50, logger: createLogger({ service: 'kyc-test', level: 'silent' }), onRun: (r) => runs.push(r) });
    try {
      const pep = join(dir, 'pep3.csv');
      await writeFile(pep, (await readFile(FIXTURE_SANCTIONS_FILES.pepCsvPath, 'utf8')).trimEnd() + '\nPEP-9002,Otaviano Brandao Lacerda,,1950,BR,Judge (fictional)\n');
      await importSanctionsFiles(lists, { pepCsvPath: pep });
      const deadline = Date.now() + 10_000;
      while (!runs.some((r) => r.status === 'DONE' && r.listVersion.includes('PEP@3')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const done = runs.filter((r) => r.status === 'DONE' && r.listVersion.includes('PEP@3'));
      assert.equal(done.length, 1);
      assert.equal(done[0]!.hits, 1, 'this version no longer lists PEP-9001; the fixture PEP-0004 still matches');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(runs.filter((r) => r.status === 'DONE').length, 1, 'later checks find the run finished');
    } finally {
      await watcher.stop();
    }
  });
});
