import { createPrismaClient, postgresReadiness } from '@baas/db';
import { connectEvents, type Consumer } from '@baas/events';
import { logClientErrors, type Logger } from '@baas/observability';
import { createRiskPort, RISK_OFF, type RiskPort } from '@baas/policy';
import { createIdentityDirectory, startSubgraph, type RunningSubgraph } from '@baas/server';
import { Redis } from 'ioredis';
import { createAccountsClient } from './clients/accounts/client';
import { createLedgerClient } from './clients/ledger/client';
import { createRiskClient } from './clients/risk/client';
import type { PaymentsConfig } from './config';
import { createPaymentsLoaders, type PaymentsContext, type PaymentsDeps } from './context';
import { PrismaClient } from './generated/prisma/client';
import { paymentsPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { railAccounts } from './sagas/order-effects';
import { createOrderPolicy, createPixLimitCheck } from './sagas/order-policy';
import { createOrderProcessor } from './sagas/order-processor';
import { createMedCaseStore } from './store/med-case-store';
import { createPaymentOrderStore } from './store/payment-order-store';
import { createPixChargeStore } from './store/pix-charge-store';
import { createPixKeyStore } from './store/pix-key-store';
import { createPixLimitStore } from './store/pix-limit-store';
import { createPixLookupLimitStore } from './store/pix-lookup-limit-store';
import { tedReleaseAt } from './domain/ted';
import { findChargeToPay } from './use-cases/find-charge-to-pay';
import { tedCalendar } from './use-cases/pay-ted';
import { chargeLocationRoutes } from './workers/charge-location-routes';
import { createChargeSigner } from './workers/charge-signer';
import { startClaimTimer } from './workers/claim-timer';
import { createKeyCodeSender } from './workers/key-code-sender';
import { startOrderRecovery } from './workers/order-recovery';
import { startPaymentEventRelay } from './workers/payment-event-relay';
import { startRailConsumer } from './workers/rail-consumer';
import { connectNatsRail } from './workers/rail-port';

/** The rules' risk port when RISK_URL is off: every order is allowed (the limits still apply). */
/**
 * Starts the payments subgraph: the composition root. Opens its database, Redis and NATS, builds
 * the stores, the clients (ledger, accounts, identity, risk), the rail adapter and the order
 * processor, starts the workers (rail events, order recovery, claim timer, event relay) and serves
 * the charges' locations beside /graphql; everything closes in onStop.
 */
export async function createPaymentsSubgraph(config: PaymentsConfig, logger: Logger, opts: { risk?: RiskPort } = {}): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  const bus = await connectEvents({ url: config.NATS_URL, name: 'payments', logger });
  const rail = await connectNatsRail({ url: config.NATS_URL, timeoutMs: config.RAIL_SUBMIT_TIMEOUT_MS, logger, namespace: config.RAILS_NAMESPACE });
  const secret = config.INTERNAL_IDENTITY_SECRET;
  const ledger = createLedgerClient({ url: config.LEDGER_URL, secret });
  const accounts = createAccountsClient({ url: config.ACCOUNTS_URL, secret });
  const directory = createIdentityDirectory({ caller: 'payments', url: config.IDENTITY_URL, secret, cacheMs: config.IDENTITY_CACHE_MS });
  const riskClient = config.RISK_URL === 'off' ? null : createRiskClient({ url: config.RISK_URL, secret, timeoutMs: config.RISK_TIMEOUT_MS + 1000 });
  const risk: RiskPort =
    opts.risk ??
    (riskClient
      ? createRiskPort({ score: (outflow) => riskClient.score(outflow), failMode: (tenantId) => accounts.riskFailMode(tenantId), timeoutMs: config.RISK_TIMEOUT_MS, logger, rememberVerdicts: config.PAYMENTS_RISK_VERDICT_MEMO })
      : RISK_OFF);
  const standing = {
    async standing(tenantId: string, customerId: string) {
      const s = await directory.customerStanding(tenantId, customerId);
      return s ? { customerActive: s.customerStatus === 'ACTIVE', tenantActive: s.tenantStatus === 'ACTIVE' } : null;
    },
  };

  const orders = createPaymentOrderStore(db);
  const limits = createPixLimitStore(db);
  const keyStore = createPixKeyStore(db);
  const chargeStore = createPixChargeStore(db);
  const signer = await createChargeSigner({ privateKeyPem: config.PIX_JWS_PRIVATE_KEY, locationBaseUrl: config.PIX_LOCATION_BASE_URL });
  const pixDefaults = { DAYTIME: config.PIX_DEFAULT_DAYTIME_LIMIT, NIGHTTIME: config.PIX_DEFAULT_NIGHTTIME_LIMIT };
  const increaseDelayMs = config.PIX_LIMIT_INCREASE_DELAY_SECONDS * 1000;
  const ensureAccounts = railAccounts(ledger);
  const tedSettings = { opens: config.TED_OPENS, cutoff: config.TED_CUTOFF, bankOnlyHolidays: config.BANK_ONLY_HOLIDAYS.split(',').map((d) => d.trim()).filter(Boolean) };
  const processor = createOrderProcessor({
    orders,
    ledger,
    rail,
    policy: createOrderPolicy({ limits, risk, defaults: pixDefaults, increaseDelayMs }),
    ensureAccounts,
    notBefore: (row, now) => (row.rail === 'TED' ? tedReleaseAt(row.scheduledFor, now, { window: tedSettings, calendar: tedCalendar(tedSettings) }) : null),
    settings: { leaseMs: config.ORDER_LEASE_MS, inquiryAfterMs: config.RAIL_INQUIRY_AFTER_MS, maxSubmitAttempts: config.RAIL_MAX_SUBMIT_ATTEMPTS, retryBaseMs: 250, retryMaxMs: 30_000 },
    logger,
  });
  const accountOfKey = async (value: string) => (await keyStore.findActiveByValue(value))?.accountId ?? null;

  const deps: PaymentsDeps = {
    orders: {
      orders,
      processor,
      accounts,
      standing,
      limitCheck: createPixLimitCheck({ limits, defaults: pixDefaults, increaseDelayMs }),
      risk,
      rail,
      limits,
      medCases: createMedCaseStore(db),
      accountOfKey,
      chargeToPay: async (q, at) => {
        const c = await findChargeToPay({ charges: chargeStore, signer, locationBaseUrl: config.PIX_LOCATION_BASE_URL }, q, at);
        return { txid: c.charge.txid, amountDue: c.amountDue, receiverAccountId: c.receiverAccountId, receiverKey: c.receiverKey };
      },
      tenantSandbox: async (tenantId) => (await directory.tenantStanding(tenantId))?.sandbox === true,
      settings: {
        ispb: config.PAYMENTS_ISPB,
        leaseMs: config.ORDER_LEASE_MS,
        institutionName: config.INSTITUTION_NAME,
        sandbox: config.SANDBOX,
        ted: tedSettings,
        wireFee: config.WIRE_FEE_MINOR,
        correspondentBic: config.WIRE_CORRESPONDENT_BIC,
        pixDefaults,
        increaseDelayMs,
      },
    },
    keys: {
      keys: keyStore,
      lookupLimit: createPixLookupLimitStore(redis, { prefix: config.REDIS_PREFIX, perMinute: config.PIX_LOOKUP_PER_MINUTE }),
      accounts,
      codes: createKeyCodeSender({ bus, logger }),
      ispb: config.PAYMENTS_ISPB,
      claimResolutionSeconds: config.PIX_CLAIM_RESOLUTION_SECONDS,
    },
    charges: {
      charges: chargeStore,
      signer,
      accounts,
      activeKeyOf: async (accountId, key) => {
        const active = (await keyStore.listByAccount(accountId)).filter((k) => k.status === 'ACTIVE');
        const chosen = key ? active.find((k) => k.value === key) : active[0];
        return chosen ? { type: chosen.keyType, value: chosen.value } : null;
      },
      locationBaseUrl: config.PIX_LOCATION_BASE_URL,
      merchantName: config.INSTITUTION_NAME.slice(0, 25),
    },
  };

  const workers: { stop(): Promise<void> }[] = [];
  let consumer: Consumer | null = null;
  const stopAll = async () => {
    await consumer?.stop().catch(() => undefined);
    for (const w of workers.reverse()) await w.stop().catch(() => undefined);
    await rail.close();
    await bus.close().catch(() => undefined);
    redis.disconnect();
    await db.$disconnect();
  };
  try {
    if (config.RAILS_CONSUMER) {
      consumer = await startRailConsumer({
        bus,
        namespace: config.RAILS_NAMESPACE,
        stream: config.RAILS_STREAM,
        logger,
        deps: {
          orders,
          processor,
          accounts,
          ledger,
          accountOfKey,
          concludeCharge: (txid, payment) => chargeStore.conclude(txid, payment),
          ensureAccounts,
          logger,
        },
      });
    }
    workers.push(startOrderRecovery({ processor, intervalMs: config.ORDER_RECOVERY_INTERVAL_MS, logger }));
    workers.push(startClaimTimer({ deps: deps.keys, intervalMs: Math.min(60_000, config.PIX_CLAIM_RESOLUTION_SECONDS * 1000), logger }));
    if (config.PAYMENTS_EVENTS_RELAY) workers.push(startPaymentEventRelay({ databaseUrl: config.DATABASE_URL, natsUrl: config.NATS_URL, stream: config.PAYMENTS_STREAM, logger, subjectPrefix: config.EVENTS_SUBJECT_PREFIX }));
    return await startSubgraph<PaymentsContext>({
      name: 'payments',
      schema: new URL('./schema.graphql', import.meta.url),
      resolvers,
      permissions: paymentsPermissions,
      config,
      logger,
      context: (base) => ({ ...base, loaders: createPaymentsLoaders(orders), payments: deps }),
      routes: chargeLocationRoutes({ charges: chargeStore, signer, locationBaseUrl: config.PIX_LOCATION_BASE_URL }),
      readiness: async () => ({ ...(await postgresReadiness(db)()), redis: redis.status === 'ready' }),
      onStop: stopAll,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
}
