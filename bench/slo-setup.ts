// bench:slo's platform and fixture, in a child process (as bench/payments-setup.ts and
// bench/cards-setup.ts: the load generator runs in another process). One platform serves every
// service of the mix: e2e/risk/risk-world.ts's (isolated database, own Redis prefix, risk scoring
// on), the ledger relaying its events, PIX limit increases in force at once; subgraphs as processes
// of their own by default (BENCH_SLO_PROCESSES: 'all', '' or names), as deployed. The fixture is made
// through the gateway as a fintech would, with the world's helpers: a sandbox tenant A whose
// customers each hold a funded BRL account, high PIX limits and a virtual card (issued by the
// tenant's backend, an API client with cards:write); tenant B's receiver with an EVP key.
// Prints the fixture as one JSON line; SIGTERM tears everything down.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@baas/db';
import { IssueCardDocument, PixLimitsDocument, RegisterPixKeyDocument, SetPixLimitDocument } from '@baas/sdk';
import { platformSubgraphs } from '@baas/test-platform';
import { startRiskWorld, type RiskWorld } from '../e2e/risk/risk-world';
import { CARDS_CLIENT_SCOPES } from '../e2e/cards/cards-world';
import type { Identity } from '@baas/auth';

export type SloCustomer = { customerId: string; accountId: string; ledgerAccountId: string; cardId: string; token: string; identity: Identity };
export type SloFixture = {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  internalSecret: string;
  env: Record<string, string>;
  processes: string[];
  tenantId: string;
  /** Tenant A's backend token (cards:write): it sends the card simulator's messages. */
  clientToken: string;
  customers: SloCustomer[];
  /** Tenant B's receiver: its account and EVP key. */
  receiver: { accountId: string; key: string };
};

const FUND = 1_000_000_000_000n;
const FIXTURE = 'bench-slo-fixture ';
const PIX_LIMIT = '100000000000';

async function serve(): Promise<void> {
  const env = { LEDGER_OUTBOX_RELAY: 'true', PIX_LIMIT_INCREASE_DELAY_SECONDS: '0', INFERENCE_PROVIDER: 'cpu' };
  const listed = process.env.BENCH_SLO_PROCESSES ?? 'all';
  const processes = listed === 'all' ? platformSubgraphs() : listed.split(',').filter(Boolean);
  // The ledger relay as deployed (its own process); BENCH_LEDGER_RELAY=in-process: inside the ledger.
  const world = await startRiskWorld({ env, processes, ledgerRelayProcess: process.env.BENCH_LEDGER_RELAY !== 'in-process' });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= world.stop().catch((e: unknown) => console.error('stop:', e)).then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  process.stdout.on('error', () => void stop());
  try {
    console.log(FIXTURE + JSON.stringify(await makeFixture(world, env, processes)));
  } catch (error) {
    console.error(error);
    await world.stop().catch(() => undefined);
    process.exit(1);
  }
}

async function makeFixture(world: RiskWorld, env: Record<string, string>, processes: string[]): Promise<SloFixture> {
  const [ta, tb] = [await world.newTenant(), await world.newTenant()];
  const client = { ...ta.client, scopes: CARDS_CLIENT_SCOPES };
  const customers = await Promise.all(
    Array.from({ length: Number(process.env.BENCH_SLO_CUSTOMERS ?? 8) }, async (): Promise<SloCustomer> => {
      const customer = await world.newCustomer(ta);
      const account = await world.openAccount(customer, FUND);
      for (const period of ['DAYTIME', 'NIGHTTIME']) await world.ok(SetPixLimitDocument, { input: { period, amount: PIX_LIMIT } }, customer.identity);
      const limits = (await world.ok(PixLimitsDocument, {}, customer.identity)).pixLimits;
      if (limits.daytime.minorUnits !== PIX_LIMIT) throw new Error(`PIX limits not in force: ${JSON.stringify(limits)}`);
      const card = (await world.ok(IssueCardDocument, { input: { id: uuidv7(), accountId: account.id, form: 'VIRTUAL' } }, client)).issueCard;
      if (card.state !== 'ACTIVE') throw new Error(`virtual card ${card.state}`);
      const token = await world.platform.mintToken(customer.identity, 3600);
      return { customerId: customer.id, accountId: account.id, ledgerAccountId: account.ledgerAccountId, cardId: card.id, token, identity: customer.identity };
    }),
  );
  const receiver = await world.newCustomer(tb);
  const receiverAccount = await world.openAccount(receiver);
  const key = (await world.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: receiverAccount.id, keyType: 'EVP' } }, receiver.identity)).registerPixKey;
  if (key.status !== 'ACTIVE') throw new Error(`EVP key ${key.status}`);
  return {
    gatewayUrl: world.platform.gatewayUrl,
    subgraphUrls: world.platform.subgraphUrls,
    internalSecret: world.platform.internalSecret,
    env,
    processes,
    tenantId: ta.id,
    clientToken: await world.platform.mintToken(client, 3600),
    customers,
    receiver: { accountId: receiverAccount.id, key: key.key },
  };
}

/** Starts the child; resolves with the fixture once it printed it. */
export async function serveSlo(): Promise<{ fixture: SloFixture; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--slo-serve'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const fixture = await new Promise<SloFixture>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(FIXTURE)) resolve(JSON.parse(line.slice(FIXTURE.length)) as SloFixture);
      else if (!/^\{"level":"(trace|debug|info)"/.test(line)) console.error(`[platform] ${line}`);
    });
  });
  return { fixture, child };
}

if (process.argv.includes('--slo-serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
