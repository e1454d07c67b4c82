// npm run bench:gateways — our gateway against the alternatives a user would pick, in one run, on the
// same supergraph, subgraphs (identity and accounts in processes of their own, behind one counting
// proxy) and queries: a bare @apollo/gateway in @apollo/server with its defaults, and Hive Gateway
// (@graphql-hive/gateway) with its defaults, both forwarding a pre-minted x-baas-identity header;
// ours verifies a JWT, counts Redis rate limits (ceiling raised, still on) and checks query limits.
// Each gateway is its own process; its CPU is read from /proc/<pid>/stat before and after each cell.
//   npm run bench:gateways -- [requests at 16 clients] [requests at 1 client]
//   GATEWAYS=ours GATEWAYS_CPU_PROF=/tmp/prof npm run bench:gateways   (a CPU profile of ours)
import { signIdentityAssertion } from '@baas/auth';
import { runLoad } from './load';
import { processCpuMs, setUp } from './gateways-setup';

const MANY = Number(process.argv[2] ?? 2000);
const ONE = Number(process.argv[3] ?? 600);
const only = (process.env.GATEWAYS ?? 'ours,apollo,hive').split(',');
const fx = await setUp({ only, cpuProfDir: process.env.GATEWAYS_CPU_PROF });

const ACCOUNT = 'query Account($id: ID!) { account(id: $id) { id currency number status balance { available { minorUnits currency } } } }';
const FEDERATED = 'query Me { me { id displayName tenant { slug } accounts { id currency number } } }';
let assertion = await signIdentityAssertion(fx.identity, fx.internalSecret); // valid 60 s: refreshed
const refresh = setInterval(() => void signIdentityAssertion(fx.identity, fx.internalSecret).then((a) => (assertion = a)), 20_000);

const send = (gw: (typeof fx.gateways)[number], query: string, variables: unknown) => async () => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (gw.name === 'ours') headers.authorization = `Bearer ${fx.token}`;
  else headers['x-baas-identity'] = assertion;
  const res = await fetch(gw.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  if (!res.ok || body.errors || !body.data) {
    if (!failed.has(gw.name)) console.error(`${gw.name}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    failed.add(gw.name);
    return false;
  }
  return true;
};
const failed = new Set<string>();

const scenarios = [
  { name: 'account+balance (1 subgraph)', query: ACCOUNT, variables: { id: fx.ids.account } },
  { name: 'me+accounts (2 subgraphs)', query: FEDERATED, variables: {} },
];
type Row = { gateway: string; scenario: string; clients: number; requests: number; errors: number; rps: number; p50: number; p99: number; cpuMs: number; calls: number };
const rows: Row[] = [];
try {
  for (const gw of fx.gateways) for (const s of scenarios) await runLoad({ name: 'warmup', requests: 400, concurrency: 16, send: send(gw, s.query, s.variables) });
  for (const s of scenarios) {
    for (const clients of [1, 16]) {
      // Interleaved by cell, so that a slow drift of the machine touches every gateway alike.
      for (const gw of fx.gateways) {
        const requests = clients === 1 ? ONE : MANY;
        const cpu0 = processCpuMs(gw.pid);
        const calls0 = await fx.subgraphCalls();
        const r = await runLoad({ name: gw.name, requests, concurrency: clients, send: send(gw, s.query, s.variables) });
        const cpu = processCpuMs(gw.pid) - cpu0;
        const calls = (await fx.subgraphCalls()) - calls0;
        rows.push({ gateway: gw.name, scenario: s.name, clients, requests: r.requests, errors: r.errors, rps: r.rps, p50: r.p50, p99: r.p99, cpuMs: cpu / r.requests, calls: calls / r.requests });
      }
    }
  }
  console.log(`\nnode ${process.version}; ${MANY} requests per 16-client cell, ${ONE} per 1-client cell; every client sends the same query (so the 16-client cells are the dedupe case)`);
  console.log('| gateway | scenario | clients | reqs | errors | req/s | p50 ms | p99 ms | gateway CPU ms/req | subgraph calls/req |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.gateway} | ${r.scenario} | ${r.clients} | ${r.requests} | ${r.errors} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuMs.toFixed(2)} | ${r.calls.toFixed(2)} |`);
  }
  const ours = rows.filter((r) => r.gateway === 'ours');
  for (const o of ours) {
    const a = rows.find((r) => r.gateway === 'apollo' && r.scenario === o.scenario && r.clients === o.clients);
    if (a) console.log(`ours/apollo CPU per request, ${o.scenario} x${o.clients}: ${(o.cpuMs / a.cpuMs).toFixed(2)} (goal <= 0.67); p99 ${o.p99.toFixed(1)} vs ${a.p99.toFixed(1)} ms`);
  }
} finally {
  clearInterval(refresh);
  await fx.stop();
}
process.exit(0);
