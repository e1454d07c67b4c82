#!/usr/bin/env node
// Makes graphql-shield 7.6.5 load on Node 23 and later (run by the root `postinstall`, and by
// scripts/test.sh and scripts/start.sh; safe to run again).
//
// graphql-shield 7.6.5 (its last release; the project is unmaintained) takes `isUndefined` from
// `node:util`, which Node 23 removed: its ES module build then fails to load ("does not provide an
// export named 'isUndefined'") and its CommonJS build throws in chain() and race(). This rewrites that
// one import in both builds to a local `value === undefined`, the function's whole meaning. It checks
// the version it was written for and the exact text it replaces, and fails the install loudly on
// anything else, so an upgrade or a changed file is looked at rather than half patched.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPECTED_VERSION = '7.6.5';
const MARK = '/* @baas/authz: node:util isUndefined was removed in Node 23 */';
const FILES = [
  {
    path: 'esm/rules.js',
    from: "import { isUndefined } from 'util';",
    to: `const isUndefined = (value) => value === undefined; ${MARK}`,
  },
  {
    path: 'cjs/rules.js',
    from: 'const util_1 = require("util");',
    to: `const util_1 = { isUndefined: (value) => value === undefined }; ${MARK}`,
  },
];
const UTIL_IMPORT = /from ['"](node:)?util['"]|require\(['"](node:)?util['"]\)/;

/** Patches the graphql-shield that `fromDir` resolves; returns what it did per file. Throws on anything unexpected. */
export function patchGraphqlShield(fromDir = dirname(fileURLToPath(import.meta.url))) {
  const require = createRequire(join(fromDir, 'noop.js'));
  const manifestPath = require.resolve('graphql-shield/package.json');
  const root = dirname(manifestPath);
  const { version } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const report = [];
  for (const file of FILES) {
    const path = join(root, file.path);
    const text = readFileSync(path, 'utf8');
    if (text.includes(MARK)) {
      report.push(`${file.path}: already patched`);
    } else if (version === EXPECTED_VERSION && text.split(file.from).length === 2) {
      writeFileSync(path, text.replace(file.from, file.to));
      report.push(`${file.path}: patched`);
    } else if (!UTIL_IMPORT.test(text)) {
      report.push(`${file.path}: no node:util import (graphql-shield ${version} needs no patch)`);
    } else {
      throw new Error(
        `graphql-shield ${version} at ${root}: ${file.path} still imports node:util in a form this patch does not know ` +
          `(written for ${EXPECTED_VERSION}). Update packages/authz/scripts/patch-graphql-shield.mjs.`,
      );
    }
  }
  return { root, version, report };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { version, report } = patchGraphqlShield();
    if (process.env.npm_lifecycle_event !== 'postinstall' || report.some((line) => line.endsWith(': patched'))) {
      console.log(`graphql-shield ${version}: ${report.join('; ')}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
