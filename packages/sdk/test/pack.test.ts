// The SDK as a fintech installs it: `npm pack` in packages/sdk builds dist/ and writes a tarball whose
// package.json points at the built JavaScript and declarations (the workspace's own package.json, which
// points at the source, is put back); the tarball holds dist/*.js, dist/*.d.ts, README.md and
// package.json only; unpacked into a node_modules of a temporary directory, node imports it and calls
// the client, and tsc type-checks a consumer against its declarations. No network: graphql comes
// from the repository's node_modules through a link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdkDir = fileURLToPath(new URL('../', import.meta.url));
const repoModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

const CONSUMER_JS = `
import { createBaasClient, OpenAccountDocument, BaasError, isBaasError } from '@baas/sdk';
const seen = [];
const fetch = async (url, init) => {
  seen.push({ url, auth: init.headers.authorization, body: JSON.parse(init.body) });
  const body = seen.length === 1
    ? { data: { openAccount: { status: 'OPEN', account: { id: 'acc_1' } } } }
    : { data: null, errors: [{ message: 'Insufficient funds.', extensions: { code: 'INSUFFICIENT_FUNDS' } }] };
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
};
const client = createBaasClient({ endpoint: 'http://api.test/graphql', token: () => 'tok', fetch });
const data = await client.request(OpenAccountDocument, { input: { id: 'acc_1', currency: 'BRL' } });
const error = await client.request(OpenAccountDocument, { input: { id: 'acc_2', currency: 'BRL' } }).catch((e) => e);
console.log(JSON.stringify({ data, operationName: seen[0].body.operationName, auth: seen[0].auth, code: isBaasError(error) && error instanceof BaasError ? error.code : null }));
`;

const CONSUMER_TS = `
import { createBaasClient, OpenAccountDocument, MeDocument, isBaasError, type OpenAccountMutation } from '@baas/sdk';
const client = createBaasClient({ endpoint: 'http://localhost:4000/graphql', token: async () => 'tok', persistedQueries: true });
export async function open(): Promise<string | undefined> {
  const data: OpenAccountMutation = await client.request(OpenAccountDocument, { input: { id: 'a', currency: 'BRL' } });
  await client.request(MeDocument);
  // @ts-expect-error: OpenAccount's variables are required
  await client.request(OpenAccountDocument);
  // @ts-expect-error: and typed
  await client.request(OpenAccountDocument, { input: { id: 'a', currency: 986 } });
  try { return data.openAccount.account?.id; } catch (e) { if (isBaasError(e, 'INSUFFICIENT_FUNDS')) return e.code; throw e; }
}
`;

test('npm pack builds an installable package: built JavaScript with declarations, README, nothing else', { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'baas-sdk-pack-'));
  try {
    const workspaceManifest = readFileSync(join(sdkDir, 'package.json'), 'utf8');
    run('npm', ['pack', '--pack-destination', tmp, '--loglevel=error'], sdkDir);
    assert.equal(readFileSync(join(sdkDir, 'package.json'), 'utf8'), workspaceManifest, "the workspace's package.json is put back");
    assert.ok(!existsSync(join(sdkDir, 'package.json.prepack')));
    const tarball = readdirSync(tmp).find((f) => /^baas-sdk-\d+\.\d+\.\d+.*\.tgz$/.test(f));
    assert.ok(tarball, 'npm pack wrote baas-sdk-<version>.tgz');

    const scope = join(tmp, 'node_modules', '@baas');
    mkdirSync(scope, { recursive: true });
    run('tar', ['xzf', join(tmp, tarball), '-C', scope], tmp);
    const pkg = join(scope, 'sdk');
    renameSync(join(scope, 'package'), pkg);

    const files = listFiles(pkg).sort();
    for (const f of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/baas-client.js', 'dist/baas-client.d.ts', 'dist/errors.js', 'dist/generated/graphql.js', 'dist/generated/graphql.d.ts']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    const stray = files.filter((f) => !(f === 'package.json' || f === 'README.md' || /^dist\/.+\.(js|d\.ts)$/.test(f)));
    assert.deepEqual(stray, [], 'no sources, tests, operations, scripts or configuration in the tarball');
    for (const f of files) {
      const text = readFileSync(join(pkg, f), 'utf8');
      assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----|\bsk_live_|postgres(ql)?:\/\/[^\s'"`]*:[^\s'"`]*@/, `${f} holds no secret`);
    }

    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    assert.equal(manifest.name, '@baas/sdk');
    assert.match(manifest.version, /^\d+\.\d+\.\d+/);
    assert.ok(manifest.license);
    assert.deepEqual(manifest.exports['.'], { types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' });
    assert.equal(manifest.types, './dist/index.d.ts');
    assert.ok(manifest.peerDependencies.graphql);
    assert.equal(manifest.devDependencies, undefined);
    assert.equal(manifest.scripts, undefined);
    assert.equal(manifest.publishConfig, undefined);

    // What the consumer's install would bring: the peer and the types-only dependency, from the repository.
    symlinkSync(join(repoModules, 'graphql'), join(tmp, 'node_modules', 'graphql'), 'dir');
    mkdirSync(join(tmp, 'node_modules', '@graphql-typed-document-node'));
    symlinkSync(join(repoModules, '@graphql-typed-document-node', 'core'), join(tmp, 'node_modules', '@graphql-typed-document-node', 'core'), 'dir');

    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(tmp, 'consumer.mjs'), CONSUMER_JS);
    const out = JSON.parse(run(process.execPath, ['consumer.mjs'], tmp));
    assert.deepEqual(out, { data: { openAccount: { status: 'OPEN', account: { id: 'acc_1' } } }, operationName: 'OpenAccount', auth: 'Bearer tok', code: 'INSUFFICIENT_FUNDS' });

    writeFileSync(join(tmp, 'consumer.ts'), CONSUMER_TS);
    const tsconfig = { compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [], skipLibCheck: false }, files: ['consumer.ts'] };
    writeFileSync(join(tmp, 'tsconfig.json'), JSON.stringify(tsconfig));
    run(process.execPath, [join(repoModules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
