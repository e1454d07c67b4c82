// bench:cards' platform and fixture, in a child process (as bench/payments-setup.ts: the load
// generator runs in another process). The platform is e2e/risk/risk-world.ts's (an isolated
// database, its own Redis prefix, risk scoring on) with the ledger relaying its events (as the other
// benches start it). The fixture is made through the gateway as a fintech would: a sandbox tenant,
// N customers each with a BRL account funded from the sandbox, and one virtual card per customer
// issued by the tenant's backend (an API client with cards:write). For the baseline, ledger accounts
// made straight on the ledger subgraph as an internal service makes them (the cards subgraph's own
// ledger client): a funding source, N payers that may not go negative (as a customer account) and
// one settlement account (as cards' clearing account). Prints the fixture as one JSON line; SIGTERM
// tears everything down.
import { spawn, type ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@baas/db';
import { IssueCardDocument } from '@baas/sdk';
import { platformSubgraphs } from '@baas/test-platform';
import { startRiskWorld, type RiskWorld } from '../e2e/risk/risk-world';
import { createLedgerClient, written } from '../subgraphs/cards/src/clients/ledger/client';
import { CARDS_CLIENT_SCOPES } from '../e2e/cards/cards-world';

export type CardsFixture = {
  gatewayUrl: string;
  /** The tenant backend's token (cards:write): it sends the simulator's messages. */
  clientToken: string;
  /** The platform's environment on top of the test platform's. */
  env: Record<string, string>;
  /** Minor units each account (card or baseline payer) was funded with. */
  funded: string;
  cards: { cardId: string; accountId: string; customerId: string }[];
  /** The baseline: where the ledger listens, the secret internal callers sign with, and its accounts. */
  ledger: { url: string; secret: string; payers: string[]; settlement: string };
};

const FUND = 1_000_000_000n;
const FIXTURE = 'bench-cards-fixture ';
/** Ledger purpose codes of the baseline's accounts and transfers (bench-only). */
export const BENCH_LEDGER_CODES = { PAYER: 991, SETTLEMENT: 992, SOURCE: 993, FUNDING: 91, HOLD: 92 } as const;

async function serve(): Promise<void> {
  const env = { LEDGER_OUTBOX_RELAY: 'true', ...(JSON.parse(process.env.BENCH_CARDS_ENV ?? '{}') as Record<string, string>) };
  // BENCH_CARDS_PROCESSES: subgraphs run as processes of their own, as deployed ('all', or names: cards,risk,ledger).
  const listed = process.env.BENCH_CARDS_PROCESSES ?? '';
  const processes = listed === 'all' ? platformSubgraphs() : listed.split(',').filter(Boolean);
  const world = await startRiskWorld({ env, processes });
  const traced = process.env.BENCH_CARDS_TRACE ? traceHttp(world) : null;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= world
      .stop()
      .finally(() => traced?.())
      .catch((e: unknown) => console.error('stop:', e))
      .then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The load generator gone (crashed, killed) leaves nothing behind either.
  process.on('disconnect', () => void stop());
  process.stdout.on('error', () => void stop());
  try {
    console.log(FIXTURE + JSON.stringify(await makeFixture(world, env)));
  } catch (error) {
    console.error(error);
    await world.stop().catch(() => undefined);
    process.exit(1);
  }
}

async function makeFixture(world: RiskWorld, env: Record<string, string>): Promise<CardsFixture> {
  const tenant = await world.newTenant(); // sandbox: true (the simulator is a sandbox tenant's)
  const client = { ...tenant.client, scopes: CARDS_CLIENT_SCOPES };
  const n = Number(process.env.BENCH_CARDS ?? 8);
  const cards = await Promise.all(
    Array.from({ length: n }, async () => {
      const customer = await world.newCustomer(tenant);
      const account = await world.openAccount(customer, FUND);
      const card = (await world.ok(IssueCardDocument, { input: { id: uuidv7(), accountId: account.id, form: 'VIRTUAL' } }, client)).issueCard;
      if (card.state !== 'ACTIVE') throw new Error(`virtual card ${card.state}`);
      return { cardId: card.id, accountId: account.id, customerId: customer.id };
    }),
  );
  return {
    gatewayUrl: world.platform.gatewayUrl,
    clientToken: await world.platform.mintToken(client, 3600),
    env,
    funded: FUND.toString(),
    cards,
    ledger: await makeLedgerAccounts(world.platform.subgraphUrls.ledger!, world.platform.internalSecret, n),
  };
}

/** The baseline's ledger accounts, made and funded as an internal service would (every id fresh). */
async function makeLedgerAccounts(url: string, secret: string, n: number): Promise<CardsFixture['ledger']> {
  const ledger = createLedgerClient({ url, secret });
  const [source, settlement] = [uuidv7(), uuidv7()];
  const payers = Array.from({ length: n }, () => uuidv7());
  const account = (id: string, code: number, flags: ('DEBITS_MUST_NOT_EXCEED_CREDITS' | 'CREDITS_MUST_NOT_EXCEED_DEBITS')[] = []) => ({ id, tenantId: null, customerId: null, currency: 'BRL', code, flags, metadata: { purpose: 'bench:cards baseline' } });
  const made = await ledger.createAccounts([
    account(source, BENCH_LEDGER_CODES.SOURCE),
    account(settlement, BENCH_LEDGER_CODES.SETTLEMENT),
    ...payers.map((id) => account(id, BENCH_LEDGER_CODES.PAYER, ['DEBITS_MUST_NOT_EXCEED_CREDITS'])),
  ]);
  const funded = await ledger.createTransfers(payers.map((id) => ({ id: uuidv7(), debitAccountId: source, creditAccountId: id, amount: FUND, currency: 'BRL', code: BENCH_LEDGER_CODES.FUNDING })));
  const refused = [...made, ...funded].find((w) => !written(w));
  if (refused) throw new Error(`the ledger refused the baseline's fixture: ${refused.error}`);
  return { url, secret, payers, settlement };
}

/**
 * BENCH_CARDS_TRACE=1: every HTTP call between the platform's services (the gateway's to the
 * subgraphs, cards' to the ledger, risk and accounts) timed by node's diagnostics channels, request
 * start to response end, and summed up per target on stderr at the end.
 */
function traceHttp(world: RiskWorld): () => void {
  const started = new WeakMap<object, number>();
  const spans = new Map<string, number[]>();
  const names = () => new Map(Object.entries(world.platform.subgraphUrls).map(([name, url]) => [new URL(url).host, name]));
  let byHost = names();
  subscribe('http.client.request.start', (m) => started.set((m as { request: object }).request, performance.now()));
  subscribe('http.client.response.finish', (m) => {
    const { request } = m as { request: { getHeader(n: string): unknown } };
    const t0 = started.get(request);
    if (t0 === undefined) return;
    const host = String(request.getHeader('host'));
    const name = byHost.get(host) ?? (byHost = names()).get(host) ?? host;
    spans.set(name, [...(spans.get(name) ?? []), performance.now() - t0]);
  });
  return () => {
    for (const [name, list] of spans) {
      list.sort((a, b) => a - b);
      const at = (p: number) => list[Math.min(list.length - 1, Math.ceil(p * list.length) - 1)]!.toFixed(1);
      console.error(`[trace] http to ${name.padEnd(10)} ${String(list.length).padStart(6)} calls  p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`);
    }
  };
}

/** Starts the child; resolves with the fixture once it printed it. `env`: the platform's extra variables. */
export async function serveCards(opts: { cards: number; env?: Record<string, string>; processes?: string }): Promise<{ fixture: CardsFixture; child: ChildProcess }> {
  // BENCH_CARDS_CPU_PROF=<dir>: a CPU profile of the platform process (node --cpu-prof), written when it stops.
  const prof = process.env.BENCH_CARDS_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CARDS_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_CARDS: String(opts.cards), BENCH_CARDS_ENV: JSON.stringify(opts.env ?? {}), BENCH_CARDS_PROCESSES: opts.processes ?? '' },
  });
  const fixture = await new Promise<CardsFixture>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(FIXTURE)) resolve(JSON.parse(line.slice(FIXTURE.length)) as CardsFixture);
      // Only warnings and errors of the platform's logs are passed on.
      else if (!/^\{"level":"(trace|debug|info)"/.test(line)) console.error(`[platform] ${line}`);
    });
  });
  return { fixture, child };
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
