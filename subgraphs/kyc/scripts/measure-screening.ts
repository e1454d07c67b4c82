/**
 * Measures sanctions screening precision and recall on perturbed names at SCREENING_MATCH_THRESHOLD
 * against the committed fixture lists, and writes models/kyc/screening/quality.json.
 *   npx tsx subgraphs/kyc/scripts/measure-screening.ts
 * Deterministic (seeded); test/domain/screening/quality.test.ts checks the file is current.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOfacSdnCsv, parsePepCsv, parseUnConsolidatedXml, SCREENING_MATCH_THRESHOLD } from '../src/domain/screening/index';
import { runQualityMeasurement } from '../src/domain/screening/quality';

const fixtures = new URL('../fixtures/sanctions/', import.meta.url);
const output = new URL('../../../models/kyc/screening/quality.json', import.meta.url);
const read = (name: string) => readFileSync(fileURLToPath(new URL(name, fixtures)), 'utf8');
const files = ['sdn.csv', 'alt.csv', 'un-consolidated.xml', 'pep.csv'];

const entries = [...parseOfacSdnCsv(read('sdn.csv'), read('alt.csv')), ...parseUnConsolidatedXml(read('un-consolidated.xml')), ...parsePepCsv(read('pep.csv'))];
const measurement = runQualityMeasurement(entries);
const record = {
  what: 'Sanctions/PEP screening precision and recall on seeded perturbations of the fixture lists (subgraphs/kyc/fixtures/sanctions)',
  threshold: SCREENING_MATCH_THRESHOLD,
  fixtures: Object.fromEntries(files.map((f) => [f, createHash('sha256').update(readFileSync(fileURLToPath(new URL(f, fixtures)))).digest('hex')])),
  listedEntries: entries.length,
  ...measurement,
};
mkdirSync(fileURLToPath(new URL('.', output)), { recursive: true });
writeFileSync(fileURLToPath(output), `${JSON.stringify(record, null, 2)}\n`);
console.log(JSON.stringify({ threshold: record.threshold, nameOnly: { precision: record.nameOnly.precision, recall: record.nameOnly.recall }, withDateOfBirth: { precision: record.withDateOfBirth.precision, recall: record.withDateOfBirth.recall } }));
