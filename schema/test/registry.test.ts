import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DOMAINS } from '@baas/db';
import { platformSubgraphs } from '@baas/test-platform';
import { clientOperationsPath, clientOutputPath, CODEGEN_PATH, codegenConfig, codegenYaml, internalClients } from '../codegen-config';
import { resolverTypesPath, SUBGRAPH_NAMES, SUBGRAPHS, subgraphSchemaPath } from '../subgraphs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const at = (path: string) => `${root}${path}`;
const sorted = (names: Iterable<string>) => [...names].sort();

describe('the subgraph registry (schema/subgraphs.ts) is the one list', () => {
  it('names every folder under subgraphs/, once, each with its SDL and entry point, on a port of its own', () => {
    const folders = readdirSync(at('subgraphs'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual(sorted(SUBGRAPH_NAMES), sorted(folders), 'a subgraphs/ folder and the registry disagree: see docs/adding-a-subgraph.md');
    assert.equal(new Set(SUBGRAPH_NAMES).size, SUBGRAPHS.length, 'a name is registered twice');
    assert.equal(new Set(SUBGRAPHS.map((s) => s.port)).size, SUBGRAPHS.length, 'two subgraphs share a port');
    for (const name of SUBGRAPH_NAMES) {
      assert.ok(existsSync(at(subgraphSchemaPath(name))), `${name}: no ${subgraphSchemaPath(name)}`);
      assert.ok(existsSync(at(`subgraphs/${name}/src/main.ts`)), `${name}: no src/main.ts`);
    }
  });

  it('every Postgres domain (prisma/<name>/, @baas/db DOMAINS) is a registered subgraph', () => {
    const prismaFolders = readdirSync(at('prisma'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual(sorted(DOMAINS), sorted(prismaFolders), 'prisma/ folders and DOMAINS (packages/db/src/domains.ts) disagree');
    for (const domain of DOMAINS) assert.ok((SUBGRAPH_NAMES as readonly string[]).includes(domain), `${domain}: not in schema/subgraphs.ts`);
  });

  it('codegen (codegen.yml, written from the registry) writes resolver types for exactly the registered subgraphs, from their own SDL', () => {
    const generates = codegenConfig().generates;
    const subgraphOutputs = Object.keys(generates).filter((path) => path.startsWith('subgraphs/') && path.endsWith('/src/generated/resolvers-types.ts'));
    assert.deepEqual(sorted(subgraphOutputs), sorted(SUBGRAPH_NAMES.map(resolverTypesPath)));
    for (const name of SUBGRAPH_NAMES) {
      assert.equal(generates[resolverTypesPath(name)]!.schema, subgraphSchemaPath(name));
      assert.equal(generates[resolverTypesPath(name)]!.config?.federation, true);
    }
    assert.equal(readFileSync(CODEGEN_PATH, 'utf8'), codegenYaml(), 'codegen.yml is stale: run `npm run compose`');
    assert.ok(!existsSync(at('codegen.ts')), 'codegen.ts would be a second configuration: codegen.yml is written from the registry');
  });

  it('every other subgraph output is an internal client: src/clients/<target>/*.graphql against a registered target\'s own SDL', () => {
    const generates = codegenConfig().generates;
    const clientOutputs = Object.keys(generates).filter((path) => path.startsWith('subgraphs/') && !path.endsWith('/src/generated/resolvers-types.ts'));
    const clients = internalClients();
    assert.deepEqual(sorted(clientOutputs), sorted(clients.map(({ caller, target }) => clientOutputPath(caller, target))));
    assert.ok(clients.some((c) => c.caller === 'accounts' && c.target === 'ledger'), 'accounts calls the ledger through subgraphs/accounts/src/clients/ledger/*.graphql');
    for (const { caller, target } of clients) {
      assert.ok((SUBGRAPH_NAMES as readonly string[]).includes(target), `${caller}'s client of ${target}: not a registered subgraph`);
      assert.notEqual(caller, target, `${caller} has a client of itself`);
      const output = generates[clientOutputPath(caller, target)]!;
      assert.equal(output.schema, subgraphSchemaPath(target));
      assert.equal(output.documents, clientOperationsPath(caller, target));
      assert.deepEqual(output.plugins, ['typescript', 'typescript-operations', 'typed-document-node']);
    }
    const stray = mkdtempSync(join(tmpdir(), 'clients-'));
    try {
      mkdirSync(join(stray, 'subgraphs/accounts/src/clients/fraud'), { recursive: true });
      writeFileSync(join(stray, 'subgraphs/accounts/src/clients/fraud/score.graphql'), 'query Score { score }');
      assert.throws(() => internalClients(pathToFileURL(`${stray}/`)), /fraud is not a registered subgraph/);
    } finally {
      rmSync(stray, { recursive: true, force: true });
    }
  });

  it('the test platform starts exactly the registered subgraphs, and refuses to start without a starter for one', () => {
    assert.deepEqual(platformSubgraphs(), [...SUBGRAPH_NAMES]);
    const withoutRisk = Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== 'risk').map((n) => [n, {}]));
    assert.throws(() => platformSubgraphs(withoutRisk), /without a starter in tools\/test-platform\/src\/platform\.ts: risk/);
    assert.throws(() => platformSubgraphs({ ...withoutRisk, risk: {}, fraud: {} }), /does not list: fraud/);
  });

  it('docker-compose runs every registered subgraph, and its gateway routes to each on the registered port', () => {
    const compose = readFileSync(at('docker-compose.yml'), 'utf8');
    const urls = /SUBGRAPH_URLS:\s*(\S+)/.exec(compose)?.[1] ?? '';
    const routed = Object.fromEntries(urls.split(',').map((pair) => pair.split('=') as [string, string]));
    assert.deepEqual(sorted(Object.keys(routed)), sorted(SUBGRAPH_NAMES));
    for (const { name, port } of SUBGRAPHS) {
      assert.match(compose, new RegExp(`"subgraphs/${name}/src/main\\.ts"`), `docker-compose.yml: no service runs ${name}`);
      assert.equal(routed[name], `http://${name}:${port}/graphql`);
    }
  });
});
