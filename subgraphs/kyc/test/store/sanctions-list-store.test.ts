import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMongoStore, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { buildScreeningIndex, screenName } from '../../src/domain/screening/screen-name';
import type { SanctionsEntry } from '../../src/domain/screening/types';
import { FIXTURE_SANCTIONS_FILES, importSanctionsFiles } from '../../src/store/sanctions-importer';
import { createSanctionsListStore, sanctionsCollections, type SanctionsListStore } from '../../src/store/sanctions-list-store';

const MONGO_URL = 'mongodb://127.0.0.1:27017';
const sha = (c: string) => c.repeat(64);
const person = (sourceId: string, name: string): SanctionsEntry => ({ list: 'PEP', sourceId, kind: 'INDIVIDUAL', name, aliases: [], datesOfBirth: [], countries: ['BR'], programs: [] });

/** The sanctions list store and importer on the real MongoDB-protocol server, in a database of its own, dropped afterwards. */
describe('sanctions list store on the real MongoDB-protocol server', { timeout: 60_000 }, () => {
  const database = `kyc_sanctions_test_${randomBytes(6).toString('hex')}`;
  let mongo: MongoStore<typeof sanctionsCollections>;
  let store: SanctionsListStore;

  before(async () => {
    mongo = await createMongoStore({ url: MONGO_URL, database, service: 'kyc-test', logger: createLogger({ service: 'kyc-test', level: 'silent' }), collections: sanctionsCollections });
    store = createSanctionsListStore(mongo.collections);
  });

  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  it('creates its collections and the entries index', () => {
    const report = mongo.describe().collections;
    assert.deepEqual(report.map((c) => c.name), ['kyc_sanctions_list_versions', 'kyc_sanctions_entries']);
    assert.deepEqual(report[0]!.indexes.map((i) => [i.name, i.enforced]), [['list_version', true]]);
    assert.deepEqual(report[1]!.indexes.map((i) => [i.name, i.enforced]), [['list_version_ordinal', true]]);
  });

  it('imports a version, says nothing changed for the same sha256, and moves on for a new one', async () => {
    const t1 = new Date('2026-12-01T00:00:00Z');
    const first = await store.importListVersion('PEP', sha('a'), [person('P1', 'Ana Um'), person('P2', 'Bruno Dois')], t1);
    assert.deepEqual(first, { changed: true, version: { listId: 'PEP', version: 1, sourceSha256: sha('a'), entryCount: 2, importedAt: t1 } });
    const again = await store.importListVersion('PEP', sha('a'), [person('P1', 'Ana Um'), person('P2', 'Bruno Dois')], new Date('2026-12-02T00:00:00Z'));
    assert.deepEqual(again, { changed: false, version: first.version });

    const t3 = new Date('2026-12-03T00:00:00Z');
    const second = await store.importListVersion('PEP', sha('b'), [person('P3', 'Carla Tres')], t3);
    assert.deepEqual(second, { changed: true, version: { listId: 'PEP', version: 2, sourceSha256: sha('b'), entryCount: 1, importedAt: t3 } });
    assert.deepEqual((await store.loadActiveEntries()).map((e) => e.sourceId), ['P3']);

    // The previous version's entries stay for readers mid-switch; older ones go.
    await store.importListVersion('PEP', sha('c'), [person('P4', 'Davi Quatro'), person('P5', 'Eva Cinco')], t3);
    const versionsStored = await mongo.collections.sanctionsEntries.distinct('sourceSha256', { listId: 'PEP' });
    assert.deepEqual(versionsStored.sort(), [sha('b'), sha('c')]);
    assert.deepEqual((await store.loadActiveEntries()).map((e) => e.sourceId), ['P4', 'P5']);
    const [pep] = await store.activeVersions();
    assert.equal(pep!.version, 3);
    assert.deepEqual((await store.listVersions('PEP')).map((v) => [v.version, v.sourceSha256[0]]), [[3, 'c'], [2, 'b'], [1, 'a']]);
  });

  it('is safe to repeat after an interruption, and two imports at once agree on one version', async () => {
    const entries = [person('P9', 'Fabio Nove')];
    const [a, b] = await Promise.all([store.importListVersion('PEP', sha('d'), entries), store.importListVersion('PEP', sha('d'), entries)]);
    assert.deepEqual([a.changed, b.changed].sort(), [false, true]);
    assert.equal(a.version.version, b.version.version);
    assert.deepEqual((await store.loadActiveEntries()).map((e) => e.sourceId), ['P9']);
  });

  it('refuses a bad sha256, an unknown list, or entries of another list', async () => {
    await assert.rejects(store.importListVersion('PEP', 'nope', []), /sha256/i);
    await assert.rejects(store.importListVersion('OTHER' as 'PEP', sha('e'), []), /unknown/);
    await assert.rejects(store.importListVersion('OFAC_SDN', sha('e'), [person('P1', 'X')]), /belong/);
  });

  it('imports the fixture files, reports changes only when a file changes, and the loaded lists screen', async () => {
    const first = await importSanctionsFiles(store, FIXTURE_SANCTIONS_FILES);
    assert.deepEqual(first.map((r) => [r.listId, r.changed, r.version.entryCount]), [['OFAC_SDN', true, 12], ['UN_CONSOLIDATED', true, 7], ['PEP', true, 6]]);
    const second = await importSanctionsFiles(store, FIXTURE_SANCTIONS_FILES);
    assert.deepEqual(second.map((r) => r.changed), [false, false, false]);

    const index = buildScreeningIndex(await store.loadActiveEntries());
    assert.equal(index.entries.length, 25);
    const [hit] = screenName(index, { fullName: 'Carlos Eduardo Malvado Ferreira', dateOfBirth: '1975-03-14', country: 'BR' });
    assert.equal(hit?.sourceId, '36001');

    // A changed PEP file is a new version of that list only.
    const dir = await mkdtemp(join(tmpdir(), 'kyc-sanctions-'));
    try {
      const pepPath = join(dir, 'pep.csv');
      await writeFile(pepPath, `${await readFile(FIXTURE_SANCTIONS_FILES.pepCsvPath, 'utf8')}PEP-0007,Helena Novaes Prado,,1981-02-02,BR,Councillor (fictional)\n`);
      const third = await importSanctionsFiles(store, { ...FIXTURE_SANCTIONS_FILES, pepCsvPath: pepPath });
      assert.deepEqual(third.map((r) => [r.listId, r.changed]), [['OFAC_SDN', false], ['UN_CONSOLIDATED', false], ['PEP', true]]);
      assert.equal((await store.loadActiveEntries()).length, 26);

      // A broken file is refused before anything is written.
      const broken = join(dir, 'un.xml');
      await writeFile(broken, '<CONSOLIDATED_LIST><INDIVIDUALS>');
      await assert.rejects(importSanctionsFiles(store, { pepCsvPath: FIXTURE_SANCTIONS_FILES.pepCsvPath, unConsolidatedPath: broken }), { name: 'SanctionsImportError', code: 'SANCTIONS_FILE_INVALID' });
      await writeFile(broken, '<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>');
      await assert.rejects(importSanctionsFiles(store, { unConsolidatedPath: broken }), { code: 'SANCTIONS_LIST_EMPTY' });
      await assert.rejects(importSanctionsFiles(store, { unConsolidatedPath: join(dir, 'absent.xml') }), { code: 'SANCTIONS_FILE_UNREADABLE' });
      assert.equal((await store.activeVersions()).find((v) => v.listId === 'PEP')!.entryCount, 7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
