/**
 * Imports sanctions and PEP lists from files an operator provides (the lists are never downloaded
 * by the platform). Each list becomes a new active version only when its files' sha256 changed;
 * the output says which lists changed, so customers can be rescreened.
 *
 *   npx tsx subgraphs/kyc/scripts/import-sanctions.ts --mongo-url mongodb://127.0.0.1:27017 --database baas_kyc \
 *     --ofac-sdn ./SDN.CSV --ofac-alt ./ALT.CSV --un ./consolidated.xml [--pep ./pep.csv]
 *   npx tsx subgraphs/kyc/scripts/import-sanctions.ts --fixtures   (the committed fictional lists)
 */
import { parseArgs } from 'node:util';
import { createMongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { FIXTURE_SANCTIONS_FILES, importSanctionsFiles, type SanctionsFiles } from '../src/store/sanctions-importer';
import { createSanctionsListStore, sanctionsCollections } from '../src/store/sanctions-list-store';

const { values } = parseArgs({
  options: {
    'mongo-url': { type: 'string', default: 'mongodb://127.0.0.1:27017' },
    database: { type: 'string', default: 'baas_kyc' },
    'ofac-sdn': { type: 'string' },
    'ofac-alt': { type: 'string' },
    un: { type: 'string' },
    pep: { type: 'string' },
    fixtures: { type: 'boolean', default: false },
  },
});

const files: SanctionsFiles = values.fixtures
  ? FIXTURE_SANCTIONS_FILES
  : {
      ...(values['ofac-sdn'] ? { ofacSdnPath: values['ofac-sdn'] } : {}),
      ...(values['ofac-alt'] ? { ofacAltPath: values['ofac-alt'] } : {}),
      ...(values.un ? { unConsolidatedPath: values.un } : {}),
      ...(values.pep ? { pepCsvPath: values.pep } : {}),
    };
if (Object.keys(files).length === 0) {
  console.error('nothing to import: give --ofac-sdn [--ofac-alt], --un, --pep, or --fixtures');
  process.exit(2);
}

const logger = createLogger({ service: 'kyc-sanctions-import', level: 'info' });
const mongo = await createMongoStore({ url: values['mongo-url']!, database: values.database!, service: 'kyc-sanctions-import', logger, collections: sanctionsCollections });
try {
  const results = await importSanctionsFiles(createSanctionsListStore(mongo.collections), files);
  for (const r of results) console.log(JSON.stringify({ list: r.listId, changed: r.changed, version: r.version.version, entries: r.version.entryCount, sourceSha256: r.version.sourceSha256 }));
} catch (err) {
  console.error(`import failed: ${(err as { code?: string }).code ?? 'ERROR'}: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await mongo.close();
}
