// npm run bench:gateway — the gateway's overhead: the same queries through the gateway and straight
// to the subgraph(s), in one run, against the same stores. The platform runs in a child process.
//   REQUESTS=3000 CONCURRENCY=16 npm run bench:gateway
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { signIdentityAssertion, type Identity } from '@baas/auth';
import { formatRow, HEADER, runLoad, type LoadResult } from './load';

const REQUESTS = Number(process.argv[2] ?? 3000);
const CONCURRENCY = Number(process.argv[3] ?? 16);

type Served = { gatewayUrl: string; subgraphUrls: Record<string, string>; internalSecret: string; token: string; identity: Identity; ids: { account: string; customer: string } };

const child = spawn(process.execPath, ['--import', 'tsx', new URL('./serve-platform.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const served = await new Promise<Served>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Served));
});

const post = async (url: string, headers: Record<string, string>, query: string, variables: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { errors?: unknown[] };
  return res.ok && !body.errors;
};

const ACCOUNT = 'query Account($id: ID!) { account(id: $id) { id currency branch number status } }';
const FEDERATED = 'query Me { me { id displayName tenant { slug } accounts { id currency number } } }';
const assertion = await signIdentityAssertion(served.identity, served.internalSecret); // valid 60 s: refreshed below
let currentAssertion = assertion;
const refresh = setInterval(() => void signIdentityAssertion(served.identity, served.internalSecret).then((a) => (currentAssertion = a)), 20_000);

const gateway = (query: string, variables: unknown = {}) => () => post(served.gatewayUrl, { authorization: `Bearer ${served.token}` }, query, variables);
const direct = (subgraph: string, query: string, variables: unknown = {}) => () =>
  post(served.subgraphUrls[subgraph]!, { 'x-baas-identity': currentAssertion }, query, variables);

try {
  // Warm up every path (JIT, pools, query plans).
  for (const send of [gateway(ACCOUNT, { id: served.ids.account }), gateway(FEDERATED), direct('accounts', ACCOUNT, { id: served.ids.account })]) {
    await runLoad({ name: 'warmup', requests: 300, concurrency: CONCURRENCY, send });
  }
  const results: LoadResult[] = [];
  results.push(await runLoad({ name: 'account: direct to accounts subgraph', requests: REQUESTS, concurrency: CONCURRENCY, send: direct('accounts', ACCOUNT, { id: served.ids.account }) }));
  results.push(await runLoad({ name: 'account: through the gateway', requests: REQUESTS, concurrency: CONCURRENCY, send: gateway(ACCOUNT, { id: served.ids.account }) }));
  results.push(await runLoad({ name: 'me+accounts: identity direct', requests: REQUESTS, concurrency: CONCURRENCY, send: direct('identity', 'query { me { id displayName tenant { slug } } }') }));
  results.push(await runLoad({ name: 'me+accounts: gateway (2 subgraphs)', requests: REQUESTS, concurrency: CONCURRENCY, send: gateway(FEDERATED) }));
  console.log(`\n${REQUESTS} requests per scenario, ${CONCURRENCY} concurrent clients, keep-alive, node ${process.version}`);
  console.log(HEADER);
  for (const r of results) console.log(formatRow(r));
  const [d, g] = results;
  console.log(`\ngateway overhead on account(id): p50 +${(g!.p50 - d!.p50).toFixed(2)} ms, p99 +${(g!.p99 - d!.p99).toFixed(2)} ms, throughput x${(g!.rps / d!.rps).toFixed(2)}`);
} finally {
  clearInterval(refresh);
  child.kill('SIGTERM');
}
