import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const shieldRoot = dirname(createRequire(import.meta.url).resolve('graphql-shield/package.json'));
const run = promisify(execFile);

describe('graphql-shield on Node 23 and later (util.isUndefined removed)', () => {
  it('the installed graphql-shield imports nothing from node:util (an ES module import of a missing export fails to load)', () => {
    for (const file of ['esm/rules.js', 'cjs/rules.js']) {
      const text = readFileSync(join(shieldRoot, file), 'utf8');
      const importsUtil = /from ['"](node:)?util['"]|require\(['"](node:)?util['"]\)/.test(text);
      assert.equal(importsUtil, false, `${file} imports node:util (run: node packages/authz/scripts/patch-graphql-shield.mjs)`);
    }
  });

  it('loads the rules, builds and applies a permissions tree, and answers with chain and race, in a Node without util.isUndefined', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--require', join(here, 'node23/remove-util-is-undefined.cjs'), '--import', 'tsx', join(here, 'node23/apply-rules.ts')],
      { cwd: here, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const outcome = JSON.parse(stdout);
    assert.equal(outcome.utilIsUndefined, 'undefined');
    assert.deepEqual(outcome.chainAllowed, { data: { me: { name: 'Alice' } }, errors: [] });
    assert.deepEqual(outcome.chainDenied.data, { me: null });
    assert.deepEqual(outcome.chainDenied.errors.map((e: { code: string }) => e.code), ['FORBIDDEN']);
    assert.deepEqual(outcome.raceAllowed, { data: { customer: { name: 'Alice' } }, errors: [] });
    assert.deepEqual(outcome.raceDenied.errors.map((e: { code: string }) => e.code), ['UNAUTHENTICATED']);
    assert.deepEqual(outcome.transfer.data, { transfer: 'sent' });
  });
});
