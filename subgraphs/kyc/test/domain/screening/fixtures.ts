import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOfacSdnCsv } from '../../../src/domain/screening/parse-ofac-sdn';
import { parsePepCsv } from '../../../src/domain/screening/parse-pep-csv';
import { parseUnConsolidatedXml } from '../../../src/domain/screening/parse-un-consolidated';

/** The committed fixture lists, read and parsed (test helper). */
export function readFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/sanctions/${name}`, import.meta.url)), 'utf8');
}

export function fixtureEntries() {
  return {
    ofac: parseOfacSdnCsv(readFixture('sdn.csv'), readFixture('alt.csv')),
    un: parseUnConsolidatedXml(readFixture('un-consolidated.xml')),
    pep: parsePepCsv(readFixture('pep.csv')),
  };
}
