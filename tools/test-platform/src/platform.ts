import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { importPKCS8 } from 'jose';
import { IDENTITY_HEADER, signAccessToken, signIdentityAssertion, type Identity } from '@baas/auth';
import { createLogger, type Logger } from '@baas/observability';
import { createGateway, gatewayConfigSchema } from '@baas/gateway';
import { createIdentitySubgraph, identityConfigSchema } from '@baas/subgraph-identity';
import { accountsConfigSchema, createAccountsSubgraph } from '@baas/subgraph-accounts';
import { createLedgerSubgraph, ledgerConfigSchema } from '@baas/subgraph-ledger';
import { createPaymentsSubgraph, paymentsConfigSchema } from '@baas/subgraph-payments';
import { cardsConfigSchema, createCardsSubgraph } from '@baas/subgraph-cards';
import { createKycSubgraph, kycConfigSchema } from '@baas/subgraph-kyc';
import { createRiskSubgraph, riskConfigSchema } from '@baas/subgraph-risk';
import { createWebhooksSubgraph, webhooksConfigSchema } from '@baas/subgraph-webhooks';
import { parseConfig } from '@baas/config';
import { startSandboxBank } from '@baas/sandbox-bank';
import { connect } from 'nats';
import type { z } from '@baas/config';
import { SUBGRAPH_NAMES } from '../../../schema/subgraphs';
import type { PlatformOptions, SubgraphResponse, TestPlatform } from './platform-types';
import { startProcessOnFreePort } from './start-process';

type Starter = { schema: z.ZodType; start: (config: never, logger: Logger) => Promise<{ port: number; url: string; stop(): Promise<void> }> };

/** How to start each subgraph in this process, by name. The list of subgraphs is the registry's (schema/subgraphs.ts). */
const STARTERS: Record<string, Starter> = {
  identity: { schema: identityConfigSchema, start: createIdentitySubgraph as Starter['start'] },
  accounts: { schema: accountsConfigSchema, start: createAccountsSubgraph as Starter['start'] },
  ledger: { schema: ledgerConfigSchema, start: createLedgerSubgraph as Starter['start'] },
  payments: { schema: paymentsConfigSchema, start: createPaymentsSubgraph as Starter['start'] },
  cards: { schema: cardsConfigSchema, start: createCardsSubgraph as Starter['start'] },
  kyc: { schema: kycConfigSchema, start: createKycSubgraph as Starter['start'] },
  risk: { schema: riskConfigSchema, start: createRiskSubgraph as Starter['start'] },
  webhooks: { schema: webhooksConfigSchema, start: createWebhooksSubgraph as Starter['start'] },
};

/**
 * The subgraphs startPlatform runs: every one in the registry, in its order. Throws when a registered
 * subgraph has no starter here, or a starter names a subgraph the registry does not list, so a new
 * subgraph cannot be left out of the tests silently.
 */
export function platformSubgraphs(starters: Readonly<Record<string, unknown>> = STARTERS): string[] {
  const missing = SUBGRAPH_NAMES.filter((name) => !(name in starters));
  const unknown = Object.keys(starters).filter((name) => !(SUBGRAPH_NAMES as readonly string[]).includes(name));
  if (missing.length || unknown.length) {
    throw new Error(
      [
        missing.length ? `registered in schema/subgraphs.ts but without a starter in tools/test-platform/src/platform.ts: ${missing.join(', ')}` : '',
        unknown.length ? `a starter in tools/test-platform/src/platform.ts for a subgraph schema/subgraphs.ts does not list: ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  return [...SUBGRAPH_NAMES];
}

/**
 * The platform's own sandbox counterparty bank (tools/sandbox-bank) on the shared NATS, under a
 * rails namespace, stream and bucket of its own (RAILS_NAMESPACE, RAILS_STREAM for payments), so
 * that platforms running side by side never see each other's payments; removed on stop.
 */
async function startPlatformBank(base: Record<string, string>): Promise<PlatformBank> {
  const id = randomUUID().replaceAll('-', '').slice(0, 12);
  base.RAILS_NAMESPACE ??= `rails-t${id}`;
  base.RAILS_STREAM ??= `RAILS_T${id}`;
  const bucket = `SANDBOX_BANK_T${id}`;
  const natsUrl = base.NATS_URL ?? 'nats://127.0.0.1:4222';
  const bank = await startSandboxBank({ natsUrl, namespace: base.RAILS_NAMESPACE, streamName: base.RAILS_STREAM, bucket, latencyMs: Number(base.SANDBOX_BANK_LATENCY_MS ?? 20) });
  return {
    async stop() {
      await bank.stop().catch(() => undefined);
      const nc = await connect({ servers: natsUrl }).catch(() => null);
      if (!nc) return;
      const jsm = await nc.jetstreamManager();
      for (const stream of [base.RAILS_STREAM!, `KV_${bucket}`]) await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
    },
  };
}

type PlatformBank = { stop(): Promise<void> };

function configFor(schema: z.ZodType, env: Record<string, string>): never {
  const result = parseConfig(schema, env);
  if (!result.ok) throw new Error(`bad test configuration:\n${result.problems.join('\n')}`);
  return result.config as never;
}

/**
 * Starts every subgraph and the gateway in this process on free ports, against the given
 * (isolated) database and the local stores, and tears them down afterwards.
 */
export async function startPlatform(opts: PlatformOptions): Promise<TestPlatform> {
  const subgraphs = platformSubgraphs();
  const level = opts.logLevel ?? (opts.logSink ? 'info' : 'silent');
  const sink = opts.logSink;
  const logger = createLogger({
    service: 'test',
    level,
    ...(sink ? { destination: { write: (line: string) => sink(line) } } : {}),
  });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const secret = `test-internal-secret-${randomUUID()}`;
  const mongoDatabase = `baas_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: level,
    DATABASE_URL: opts.databaseUrl,
    INTERNAL_IDENTITY_SECRET: secret,
    JWT_PRIVATE_KEY: pem,
    JWT_KEY_ID: kid,
    MONGO_DATABASE: mongoDatabase,
    AUDIT_DATABASE: mongoDatabase,
    // Per platform, so a restarted identity subgraph still reads what it sealed.
    PII_KEYS: `test:${randomBytes(32).toString('base64')}`,
    PII_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    DEV_NOTIFICATION_SINK: 'true',
    JWKS_COOLDOWN_MS: '0',
    // Streams may not overlap subjects, so test platforms do not relay the ledger outbox to the shared
    // NATS; tests of the relay run their own.
    LEDGER_OUTBOX_RELAY: 'false',
    IDENTITY_EVENTS_RELAY: 'false',
    // Risk's graph workers read the shared NATS and scan the one shared Neo4j: a test that wants them turns them on.
    RISK_GRAPH_CONSUMER: 'false',
    RISK_GRAPH_SCAN: 'false',
    RISK_PUBLISH_OBSERVED: 'false',
    // The fraud model reads the local hour: scored at a fixed daytime hour, no e2e verdict depends on
    // when the suite runs (a night run stepped up FX and wires). Risk's own tests may set another.
    RISK_LOCAL_HOUR: '14',
    // Risk's deadline (300 ms deployed) bounds latency, which no test asserts: the suite shares two
    // cores, and a slow score would make a verdict the test expects a fail-mode one. Accounts',
    // payments' and cards' deadlines are 3 s here; the fail-mode tests stop risk or set their own.
    RISK_TIMEOUT_MS: '3000',
    PAYMENTS_EVENTS_RELAY: 'false',
    ACCOUNTS_EVENTS_RELAY: 'false',
    CARDS_EVENTS_RELAY: 'false',
    KYC_EVENTS_RELAY: 'false',
    // The webhooks fan-out reads the shared NATS: a test that wants deliveries turns it on (webhooksDeliveryEnv).
    WEBHOOKS_DELIVERY: 'false',
    PORT: '0',
    ...opts.env,
  };

  type Instance = { port: number; url: string; stop(): Promise<void>; kill?(): Promise<void> };
  const running = new Map<string, Instance[]>();
  const exits: { name: string; code: number | null; signal: string | null; stderr: string }[] = [];
  const start = async (name: string, index: number, port = 0) => {
    const starter = STARTERS[name]!;
    const instance = opts.processes?.includes(name)
      ? await startProcessOnFreePort(name, base, port, sink, (code, signal, stderr) => exits.push({ name, code, signal, stderr }))
      : await starter.start(configFor(starter.schema, { ...base, PORT: String(port) }), logger.child({ service: name }));
    const list = running.get(name) ?? [];
    list[index] = instance;
    running.set(name, list);
  };
  const all = () => [...running.values()].flat();
  let bank: PlatformBank | null = null;
  let relay: Instance | null = null;
  const startAll = (names: string[]) => Promise.all(names.flatMap((name) => Array.from({ length: opts.instances?.[name] ?? 1 }, (_, i) => start(name, i))));
  try {
    // The ledger and identity first (risk and accounts call them: LEDGER_URL, IDENTITY_URL), then risk
    // and kyc (accounts calls them: RISK_URL, KYC_URL), then the rest.
    const first = ['ledger', 'identity'].filter((name) => subgraphs.includes(name));
    // The relay in its own process: the ledger (a restart too) runs without its in-process one.
    const relayProcess = opts.ledgerRelayProcess === true && base.LEDGER_OUTBOX_RELAY === 'true';
    if (relayProcess) base.LEDGER_OUTBOX_RELAY = 'false';
    await startAll(first);
    if (relayProcess) relay = await startProcessOnFreePort('ledger-relay', base, 0, sink, (code, signal, stderr) => exits.push({ name: 'ledger-relay', code, signal, stderr }));
    bank = await startPlatformBank(base);
    base.LEDGER_URL ??= running.get('ledger')![0]!.url;
    base.IDENTITY_URL ??= running.get('identity')![0]!.url;
    base.REDIS_PREFIX ??= `test-${randomUUID().slice(0, 8)}`;
    await startAll(['risk', 'kyc'].filter((name) => subgraphs.includes(name)));
    if (running.has('risk')) base.RISK_URL ??= running.get('risk')![0]!.url;
    if (running.has('kyc')) base.KYC_URL ??= running.get('kyc')![0]!.url;
    // Accounts before payments (payments calls it: ACCOUNTS_URL).
    if (subgraphs.includes('accounts')) {
      await startAll(['accounts']);
      base.ACCOUNTS_URL ??= running.get('accounts')![0]!.url;
    }
    await startAll(subgraphs.filter((name) => !first.includes(name) && name !== 'risk' && name !== 'kyc' && name !== 'accounts'));
  } catch (error) {
    await Promise.all(all().map((r) => r.stop()));
    await relay?.stop();
    await bank?.stop();
    throw error;
  }

  const gateway = await createGateway(
    configFor(gatewayConfigSchema, {
      ...base,
      JWKS_URL: `http://127.0.0.1:${running.get('identity')![0]!.port}/.well-known/jwks.json`,
      SUBGRAPH_URLS: [...running].map(([name, list]) => `${name}=${list.map((r) => r.url).join('|')}`).join(','),
      RATE_LIMIT_PREFIX: `test-${randomUUID()}`,
      HEALTH_CHECK_INTERVAL_MS: '200',
      ...opts.gatewayEnv,
    }),
    logger.child({ service: 'gateway' }),
  );

  const signingKey = { privateKey: await importPKCS8(pem, 'RS256'), kid };
  return {
    gatewayUrl: gateway.url,
    gateway,
    get subgraphUrls() {
      return Object.fromEntries([...running].map(([name, list]) => [name, list[0]!.url]));
    },
    internalSecret: secret,
    exits,
    async callSubgraph(name, query, variables, identity) {
      const url = running.get(name)?.[0]?.url;
      if (!url) throw new Error(`no running subgraph ${name}`);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await signIdentityAssertion(identity, secret) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    mintToken: (identity, ttlSeconds = 300) =>
      signAccessToken(identity, signingKey, { issuer: 'https://identity.baas.local', audience: 'baas-api', ttlSeconds }),
    async stopSubgraph(name, instance) {
      const list = running.get(name) ?? [];
      await Promise.all(list.filter((_, i) => instance === undefined || i === instance).map((r) => r.stop()));
    },
    async killSubgraph(name, instance) {
      const list = running.get(name) ?? [];
      await Promise.all(
        list
          .filter((_, i) => instance === undefined || i === instance)
          .map((r) => {
            if (!r.kill) throw new Error(`${name} runs in the test process; list it in startPlatform's processes to kill it`);
            return r.kill();
          }),
      );
    },
    async restartSubgraph(name, instance) {
      const list = running.get(name) ?? [];
      await Promise.all(list.map((r, i) => (instance === undefined || i === instance ? start(name, i, r.port) : undefined)));
    },
    async stop() {
      await gateway.stop();
      await Promise.all(all().map((r) => r.stop().catch(() => undefined)));
      await relay?.stop().catch(() => undefined);
      await bank?.stop();
    },
  };
}

