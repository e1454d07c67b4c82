import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;
/** A subgraph or the gateway, by package name. */
const FORBIDDEN_PACKAGE = /^@baas\/(subgraph-[\w.-]+|gateway)$/;
/** An import of a subgraph or the gateway in source: by package name, or by a relative path into subgraphs/ or gateway/. */
const FORBIDDEN_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"`]((?:@baas\/(?:subgraph-[\w.-]+|gateway))(?:\/[^'"`]*)?|(?:\.\.\/)+(?:subgraphs|gateway)\/[^'"`]*)['"`]/g;

const packages = () =>
  readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, 'packages', e.name, 'package.json')))
    .map((e) => e.name);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'generated' ? [] : sourceFiles(path);
    return /\.(?:[cm]?[jt]sx?)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The subgraph or gateway imports in a piece of source. */
function forbiddenImports(source: string): string[] {
  return [...source.matchAll(FORBIDDEN_IMPORT)].map((m) => m[1]!);
}

describe('shared packages (packages/*) depend on no subgraph and not on the gateway', () => {
  it('the check itself recognises the imports it forbids, and lets others through', () => {
    assert.deepEqual(
      forbiddenImports(
        [
          "import { createAccountsSubgraph } from '@baas/subgraph-accounts';",
          "import type { RunningGateway } from '@baas/gateway';",
          "const m = await import('@baas/subgraph-kyc/src/x');",
          "import { SDL } from '../../../subgraphs/ledger/src/schema';",
          "import { x } from '../../gateway/src/y';",
        ].join('\n'),
      ),
      ['@baas/subgraph-accounts', '@baas/gateway', '@baas/subgraph-kyc/src/x', '../../../subgraphs/ledger/src/schema', '../../gateway/src/y'],
    );
    assert.deepEqual(forbiddenImports("import { x } from '@baas/gateway-kit';\nimport { y } from '@baas/db';\nimport { z } from '../../../schema/subgraphs';"), []);
  });

  it('no packages/*/package.json lists a subgraph or the gateway among its dependencies', () => {
    const names = packages();
    assert.ok(names.length > 0, 'no packages found under packages/');
    const offences: string[] = [];
    for (const name of names) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as Record<string, unknown>;
      for (const field of DEPENDENCY_FIELDS) {
        const deps = (manifest[field] ?? {}) as Record<string, string>;
        for (const dep of Object.keys(deps)) if (FORBIDDEN_PACKAGE.test(dep)) offences.push(`packages/${name}/package.json ${field}: ${dep}`);
      }
    }
    assert.deepEqual(offences, [], 'a shared package depends on a subgraph or the gateway; harnesses that start them live in tools/test-platform');
  });

  it('no packages/*/src file imports a subgraph or the gateway', () => {
    const offences: string[] = [];
    for (const name of packages()) {
      for (const file of sourceFiles(join(root, 'packages', name, 'src'))) {
        for (const spec of forbiddenImports(readFileSync(file, 'utf8'))) offences.push(`${file.slice(root.length)}: ${spec}`);
      }
    }
    assert.deepEqual(offences, [], 'a shared package imports a subgraph or the gateway; harnesses that start them live in tools/test-platform');
  });
});
