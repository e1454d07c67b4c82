import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseOfacSdnCsv } from '../domain/screening/parse-ofac-sdn';
import { parsePepCsv } from '../domain/screening/parse-pep-csv';
import { parseUnConsolidatedXml } from '../domain/screening/parse-un-consolidated';
import type { SanctionsEntry, SanctionsListId } from '../domain/screening/types';
import type { SanctionsListStore, SanctionsListVersion } from './sanctions-list-store';

/** The files an operator provides (any subset); OFAC's ALT.CSV goes with its SDN.CSV. */
export type SanctionsFiles = { ofacSdnPath?: string; ofacAltPath?: string; unConsolidatedPath?: string; pepCsvPath?: string };

export type SanctionsImportResult = { listId: SanctionsListId; changed: boolean; version: SanctionsListVersion };

/** Thrown when a file is missing, too large, unreadable as its format, or holds no entries. */
export class SanctionsImportError extends Error {
  constructor(
    readonly code: 'SANCTIONS_FILE_UNREADABLE' | 'SANCTIONS_FILE_TOO_LARGE' | 'SANCTIONS_FILE_INVALID' | 'SANCTIONS_LIST_EMPTY',
    readonly listId: SanctionsListId,
    message: string,
  ) {
    super(message);
    this.name = 'SanctionsImportError';
  }
}

/** Real lists are a few MB (SDN.CSV about 4 MB, the UN XML about 2 MB); refuse anything absurd. */
export const MAX_SANCTIONS_FILE_BYTES = 100 * 1024 * 1024;

/** The committed fixture lists (fictional), for sandboxes and tests. */
export const FIXTURE_SANCTIONS_FILES: Required<SanctionsFiles> = {
  ofacSdnPath: fileURLToPath(new URL('../../fixtures/sanctions/sdn.csv', import.meta.url)),
  ofacAltPath: fileURLToPath(new URL('../../fixtures/sanctions/alt.csv', import.meta.url)),
  unConsolidatedPath: fileURLToPath(new URL('../../fixtures/sanctions/un-consolidated.xml', import.meta.url)),
  pepCsvPath: fileURLToPath(new URL('../../fixtures/sanctions/pep.csv', import.meta.url)),
};

async function readListFile(listId: SanctionsListId, path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.size > MAX_SANCTIONS_FILE_BYTES) throw new SanctionsImportError('SANCTIONS_FILE_TOO_LARGE', listId, `${listId}: file is over ${MAX_SANCTIONS_FILE_BYTES} bytes`);
    return await readFile(path);
  } catch (err) {
    if (err instanceof SanctionsImportError) throw err;
    throw new SanctionsImportError('SANCTIONS_FILE_UNREADABLE', listId, `${listId}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function parseList(listId: SanctionsListId, parse: () => SanctionsEntry[]): SanctionsEntry[] {
  let entries: SanctionsEntry[];
  try {
    entries = parse();
  } catch (err) {
    throw new SanctionsImportError('SANCTIONS_FILE_INVALID', listId, `${listId}: ${(err as Error).message}`);
  }
  // An empty parse of a real list means a wrong or truncated file, never "nobody is sanctioned".
  if (entries.length === 0) throw new SanctionsImportError('SANCTIONS_LIST_EMPTY', listId, `${listId}: the file holds no entries`);
  return entries;
}

/** sha256 over the files of one list, each prefixed by its length, so (sdn, alt) pairs cannot collide. */
function sourceSha256(...files: Buffer[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.length}:`).update(file);
  return hash.digest('hex');
}

/**
 * Reads, parses and imports each list whose file is given. Every file is read and parsed before
 * anything is written, so a bad file leaves every list as it was.
 */
export async function importSanctionsFiles(store: SanctionsListStore, files: SanctionsFiles, now: Date = new Date()): Promise<SanctionsImportResult[]> {
  const planned: { listId: SanctionsListId; sha: string; entries: SanctionsEntry[] }[] = [];
  if (files.ofacAltPath && !files.ofacSdnPath) throw new SanctionsImportError('SANCTIONS_FILE_UNREADABLE', 'OFAC_SDN', 'OFAC_SDN: ALT.CSV needs its SDN.CSV');
  if (files.ofacSdnPath) {
    const sdn = await readListFile('OFAC_SDN', files.ofacSdnPath);
    const alt = files.ofacAltPath ? await readListFile('OFAC_SDN', files.ofacAltPath) : undefined;
    planned.push({ listId: 'OFAC_SDN', sha: sourceSha256(sdn, ...(alt ? [alt] : [])), entries: parseList('OFAC_SDN', () => parseOfacSdnCsv(sdn.toString('utf8'), alt?.toString('utf8'))) });
  }
  if (files.unConsolidatedPath) {
    const xml = await readListFile('UN_CONSOLIDATED', files.unConsolidatedPath);
    planned.push({ listId: 'UN_CONSOLIDATED', sha: sourceSha256(xml), entries: parseList('UN_CONSOLIDATED', () => parseUnConsolidatedXml(xml.toString('utf8'))) });
  }
  if (files.pepCsvPath) {
    const csv = await readListFile('PEP', files.pepCsvPath);
    planned.push({ listId: 'PEP', sha: sourceSha256(csv), entries: parseList('PEP', () => parsePepCsv(csv.toString('utf8'))) });
  }
  const results: SanctionsImportResult[] = [];
  for (const { listId, sha, entries } of planned) results.push({ listId, ...(await store.importListVersion(listId, sha, entries, now)) });
  return results;
}
