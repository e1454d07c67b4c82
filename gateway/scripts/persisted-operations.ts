/**
 * Writes schema/persisted-operations.json: every operation of the typed SDK (packages/sdk, generated
 * by graphql-codegen from e2e/operations/*.graphql), as the SDK sends it (`print(document)`), keyed by
 * its sha256 — Apollo's persisted query manifest format. The gateway's APQ cache and trusted
 * documents mode read it (docs/gateway-clients.md).
 *   npx tsx gateway/scripts/persisted-operations.ts           write it
 *   npx tsx gateway/scripts/persisted-operations.ts --check   exit 1 when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Kind, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import * as sdk from '@baas/sdk';
import { sha256Hex, type PersistedOperation, type PersistedOperationManifest } from '../src/persisted-operations';

export const MANIFEST_PATH = new URL('../../schema/persisted-operations.json', import.meta.url).pathname;

const isDocument = (value: unknown): value is DocumentNode =>
  typeof value === 'object' && value !== null && (value as DocumentNode).kind === Kind.DOCUMENT && Array.isArray((value as DocumentNode).definitions);

/** The manifest's text for the SDK's documents (sorted by name: a stable file, a readable diff). */
export function buildPersistedOperationManifest(): string {
  const operations: PersistedOperation[] = [];
  for (const value of Object.values(sdk)) {
    if (!isDocument(value)) continue;
    const op = value.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!op?.name) continue;
    const body = print(value);
    operations.push({ id: sha256Hex(body), name: op.name.value, type: op.operation, body });
  }
  operations.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const manifest: PersistedOperationManifest = { format: 'apollo-persisted-query-manifest', version: 1, operations };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const text = buildPersistedOperationManifest();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(`${MANIFEST_PATH} is out of date: run npx tsx gateway/scripts/persisted-operations.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(MANIFEST_PATH, text);
    console.log(`wrote ${MANIFEST_PATH}`);
  }
}
