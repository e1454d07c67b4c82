import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../subgraphs';

/*
 * The subgraph template (docs/adding-a-subgraph.md), checked on every registered subgraph:
 * its files, what each layer may import, no import circles, no file over 300 lines, and who may do
 * what said only in permissions.ts. `node --import tsx --test schema/test/template.test.ts` lists
 * every violation at once.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_LINES = 300;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'generated') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (full.endsWith('.ts')) out.push(full);
  }
  return out;
}

const rel = (file: string): string => relative(ROOT, file);

/** Module specifiers of static imports and re-exports (type-only ones included: they still couple). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [base + '.ts', join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return null;
}

/** Files of the layer `layer` (a folder under src/) of subgraph `src`. */
const inLayer = (srcDir: string, file: string, layer: string): boolean => file.startsWith(join(srcDir, layer) + '/');

/** Imports that do I/O or reach a store: never in domain/, never in resolvers/ (those call use cases). */
const STORE_IMPORTS = [/^pg$/, /^@prisma\//, /generated\/prisma/, /^neo4j-driver$/, /^mongodb$/, /^ioredis$/, /^nats$/, /^@baas\/db$/, /^@baas\/neo4j$/, /^@baas\/mongo$/, /\/store(\/|$)/];
const IO_IMPORTS = [...STORE_IMPORTS, /^node:(fs|net|http|https|child_process|dgram|dns|tls)/, /^@baas\/(events|outbox|saga|server|audit|inference)$/, /\/clients(\/|$)/, /\/workers(\/|$)/];
/** Raw statements belong in store/ (and the ORM's generated code). */
const RAW_SQL = /\$queryRaw|\$executeRaw|\.query\(\s*[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|WITH|LOCK|CREATE)/i;
/** Principal tests: said once, in permissions.ts (via @baas/authz's predicates). */
const PRINCIPAL_TEST = /\.kind\s*[!=]==\s*'(operator|service|api_client|customer)'|\.scopes\.includes\(/;

type Finding = string;

function checkSubgraph(name: string): Finding[] {
  const findings: Finding[] = [];
  const srcDir = join(ROOT, 'subgraphs', name, 'src');
  for (const file of ['main.ts', 'config.ts', 'context.ts', `create-${name}-subgraph.ts`, 'permissions.ts', 'index.ts', 'schema.graphql']) {
    if (!existsSync(join(srcDir, file))) findings.push(`${name}: missing src/${file}`);
  }
  for (const folder of ['resolvers', 'use-cases', 'domain', 'store', 'clients', 'sagas', 'workers']) {
    if (!existsSync(join(srcDir, folder))) findings.push(`${name}: missing src/${folder}/`);
  }
  const allowed = new Set(['main.ts', 'config.ts', 'context.ts', `create-${name}-subgraph.ts`, 'permissions.ts', 'index.ts', 'schema.graphql', 'resolvers', 'use-cases', 'domain', 'store', 'clients', 'sagas', 'workers', 'generated']);
  for (const entry of readdirSync(srcDir)) if (!allowed.has(entry)) findings.push(`${name}: src/${entry} is not part of the template`);

  const files = walk(srcDir);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    if (lines > MAX_LINES) findings.push(`${rel(file)}: ${lines} lines (max ${MAX_LINES})`);
    const specs = importsOf(file);
    graph.set(file, specs.map((s) => resolveLocal(file, s)).filter((f): f is string => f !== null));
    const isResolver = inLayer(srcDir, file, 'resolvers');
    const isDomain = inLayer(srcDir, file, 'domain');
    const isUseCase = inLayer(srcDir, file, 'use-cases');
    for (const spec of specs) {
      if (isResolver && STORE_IMPORTS.some((re) => re.test(spec))) findings.push(`${rel(file)}: a resolver imports '${spec}' (resolvers call use cases)`);
      if (isDomain && IO_IMPORTS.some((re) => re.test(spec))) findings.push(`${rel(file)}: domain imports '${spec}' (domain is pure)`);
      if ((isUseCase || isDomain) && /(^|\/)context$/.test(spec)) findings.push(`${rel(file)}: imports the GraphQL context`);
      const isSaga = inLayer(srcDir, file, 'sagas');
      if ((isUseCase || isSaga) && STORE_IMPORTS.slice(0, 8).some((re) => re.test(spec))) findings.push(`${rel(file)}: imports '${spec}' (use cases and sagas reach stores through store/ modules passed in deps)`);
    }
    if (!inLayer(srcDir, file, 'store') && RAW_SQL.test(text)) findings.push(`${rel(file)}: raw SQL outside store/`);
    if (!file.endsWith('/permissions.ts') && PRINCIPAL_TEST.test(text)) findings.push(`${rel(file)}: tests a principal's kind or scopes outside permissions.ts`);
  }
  for (const cycle of findCycles(graph)) findings.push(`${name}: import circle ${cycle.map(rel).join(' -> ')}`);
  return findings;
}

/** One representative cycle per strongly connected component (Tarjan). */
function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(component.reverse());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return cycles;
}

for (const { name } of SUBGRAPHS) {
  test(`${name} follows the subgraph template`, () => {
    const findings = checkSubgraph(name);
    assert.ok(findings.length === 0, `${findings.length} finding(s):\n${findings.join('\n')}`);
  });
}

test('no source file in packages/, gateway/ or tools/ is over 300 lines', () => {
  const findings: Finding[] = [];
  for (const dir of ['packages', 'gateway', 'tools']) {
    for (const file of walk(join(ROOT, dir))) {
      if (/\/(test|tests|scripts)\//.test(file) || file.endsWith('.test.ts') || file.includes('/generated/') || file.includes('/prisma6/')) continue;
      const lines = readFileSync(file, 'utf8').split('\n').length;
      if (lines > MAX_LINES) findings.push(`${rel(file)}: ${lines} lines`);
    }
  }
  assert.ok(findings.length === 0, `${findings.length} finding(s):\n${findings.join('\n')}`);
});
