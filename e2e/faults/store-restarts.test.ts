import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'graphql';
import { MongoClient } from 'mongodb';
import neo4j from 'neo4j-driver';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { graphqlRequest, type GraphQLResponse } from '@baas/sdk';
import { createTestDatabase, eventually, startPrivateStores, type PrivateStores, type StoreName } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { createPiiVault, parsePiiKeys } from '@baas/pii';
import { seedRiskAssessment } from '../stores/risk-fixtures';
// KYC keeps applicants sealed: the seed writes through kyc's own store with the platform's PII keys.
import { createApplicationStore } from '../../subgraphs/kyc/src/store/application-store';
import { createClaims } from '../../subgraphs/kyc/src/store/claims';
import { SUBGRAPHS as REGISTERED } from '../../schema/subgraphs';

/**
 * Issue 10 item 21: every service survives a restart of each store and resumes by itself.
 *
 * The stores are private instances (scripts/services.sh `start`/`stop` on their own data directory
 * and free ports): the shared ones serve every other test file at the same time. Every subgraph
 * runs as its own process (`src/main.ts`, as in production), so an unhandled error that would end
 * a service ends it here too; the gateway runs in this process. For each store in turn, customers
 * of a sandbox tenant send transfers through the gateway at a steady pace while the store is
 * stopped the way an operator does it (pg_ctl -m fast, SHUTDOWN, SIGTERM), left down for a moment
 * and started again. A client retries a transfer with the same id (its idempotency key) after a
 * transient error, as a real one would. Then: every transfer is POSTED, VOIDED or FAILED; every
 * balance is its funding plus transfers in minus out, and their sum is the funding; the ledger's
 * hash chain verifies; what uses the store works again (store-specific checks below); no process
 * exited; every subgraph and the gateway report ready. Everything is bounded by counts and
 * attempts; nothing asserts a duration.
 */

/** Every registered subgraph, each as its own process. */
const SUBGRAPHS = REGISTERED.map((s) => s.name);
/** PostgreSQL first: it was the finding (the ledger process exited under load). */
const RESTARTS: readonly StoreName[] = ['postgres', 'redis', 'nats', 'mongo', 'neo4j'];
const CUSTOMERS = 5;
const FUNDING = 1_000_000n;
/** Transfers each phase sends before it stops the store, and after the store is back. */
const BEFORE_RESTART = 20;
const AFTER_RESTART = 20;
/** Most transfers a phase may send in all (the load keeps going while the store is down). */
const PHASE_CAP = 600;
/** While a store restarts, each customer pauses this long between transfers (Neo4j takes seconds to stop and start). */
const OUTAGE_PACE_MS = 500;
/** How long the store stays down. */
const DOWN_MS = 1_500;
/** Tries per transfer (a try is one request, then a pause of up to a second). */
const TRANSFER_TRIES = 120;
/**
 * Tries (200 ms apart, so at least a minute) for what resumes in the background: a bound that only
 * a service that does not come back reaches (reconnect back-offs, a saga lease of 15 s, JetStream
 * recovering its streams), never a measure of speed.
 */
const RESUME_ATTEMPTS = 300;
const FINAL = new Set(['POSTED', 'VOIDED', 'FAILED']);
/** Codes a client retries with the same idempotency key: the platform could not answer now (an internal error too, as a careful client would; the last test counts them). */
const TRANSIENT = new Set(['SERVICE_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);
const CUSTOMER_SCOPES = ['customer:read', 'customer:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:read', 'cards:write'];

type Customer = { id: string; identity: Identity; token: string; account: string; email: string };
type Sent = { id: string; from: number; to: number; amount: bigint; status: string; tries: number };

describe('every service survives a restart of each store, under load (issue 10 item 21)', { timeout: 600_000 }, () => {
  let stores: PrivateStores;
  let platform: TestPlatform;
  let sql: pg.Pool;
  let operatorToken: string;
  /** An internal service writing to the ledger directly (as accounts does), between two ledger accounts of its own. */
  const SERVICE = { subject: 'faults-service', kind: 'service', tenantId: null, scopes: [] } as const;
  const ledgerAccounts = { from: uuidv7(), to: uuidv7() };
  const ledgerTransferWhileDown = uuidv7();
  const tenantId = uuidv7();
  const mongoDatabase = `baas_faults_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const kycApplicationId = uuidv7();
  const pii = { PII_KEYS: `faults:${randomBytes(32).toString('base64')}`, PII_BLIND_INDEX_KEY: randomBytes(32).toString('base64') };
  let riskAssessmentId = '';
  const customers: Customer[] = [];
  const sent: Sent[] = [];
  const logTail: string[] = [];
  /** Error codes the transfer clients got back (each answered by a retry with the same id). */
  const errorsSeen = new Map<string, number>();

  const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> =>
    graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, ...(token ? { token } : {}) });
  const ok = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
    const res = await gql<T>(query, variables, token);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  };

  before(async () => {
    stores = await startPrivateStores();
    try {
      const db = await createTestDatabase({ adminUrl: stores.urls.postgres });
      sql = new pg.Pool({ connectionString: db.url, max: 2 });
      // The pool's clients see the restart too; their errors are expected, not the test's.
      sql.on('error', () => undefined);
      // A KYC application (MongoDB; sealed with the platform's PII keys) and a risk assessment (Neo4j), written straight into their stores.
      const mongo = await new MongoClient(stores.urls.mongo).connect();
      const kycDb = mongo.db(mongoDatabase);
      const vault = createPiiVault({ keys: parsePiiKeys(pii.PII_KEYS), activeKeyId: 'faults', blindIndexKey: pii.PII_BLIND_INDEX_KEY });
      await createApplicationStore(kycDb.collection('kyc_applications'), createClaims(kycDb.collection('kyc_claims')), vault).insert({
        id: kycApplicationId,
        tenantId,
        customerId: uuidv7(),
        state: 'DRAFT',
        requestHash: 'seed',
        applicant: { fullName: 'Seed Person', cpf: '52998224725', dateOfBirth: '1990-01-01', nationality: null },
        createdAt: new Date(),
      });
      await mongo.close();
      const driver = neo4j.driver(stores.urls.neo4j);
      riskAssessmentId = await eventually(() => seedRiskAssessment(driver, { movementId: uuidv7(), tenantId, customerId: uuidv7(), scoreBps: 1200, decision: 'ALLOW' }), { attempts: 100, delayMs: 200 });
      await driver.close();

      platform = await startPlatform({
        databaseUrl: db.url,
        processes: SUBGRAPHS,
        logLevel: 'warn',
        logSink: (line) => {
          if (process.env.FAULTS_LOG) appendFileSync(process.env.FAULTS_LOG, `${line}\n`);
          logTail.push(line);
          if (logTail.length > 300) logTail.shift();
        },
        env: {
          ...stores.env,
          MONGO_DATABASE: mongoDatabase,
          AUDIT_DATABASE: mongoDatabase,
          ...pii,
          // The NATS is this test's own: the ledger's outbox relay runs, and the balance read model is fed by it.
          LEDGER_OUTBOX_RELAY: 'true',
        },
      });
    } catch (error) {
      await platform?.stop().catch(() => undefined);
      await stores.close();
      throw error;
    }

    operatorToken = await platform.mintToken({ subject: 'ops-faults', kind: 'operator', tenantId: null, scopes: [] }, 3600);
    // A sandbox tenant (play money), created as an operator does it; BRL is the default currency.
    const tenant = await ok<{ createTenant: { status: string } }>(
      `mutation N($input: CreateTenantInput!) { createTenant(input: $input) { status } }`,
      { input: { id: tenantId, slug: `faults-${tenantId.slice(-12)}`, name: 'Faults', sandbox: true } },
      operatorToken,
    );
    assert.equal(tenant.createTenant.status, 'CREATED');
    // This test is about stores going away, not about fraud: the model's judgement of its transfers
    // (it reads the hour of day, among others) must not decide whether they pass. The tenant asks
    // risk never to step up or block on the score; risk still scores every transfer, and its
    // outage (Neo4j, Redis) is still the tenant's fail mode at work.
    await ok(
      `mutation R($input: SetRiskSettingsInput!) { setRiskSettings(input: $input) { tenantId } }`,
      { input: { tenantId, reviewAtBps: 10000, blockAtBps: 10000 } },
      operatorToken,
    );
    const created = await platform.callSubgraph<{ createLedgerAccounts: { status: string }[] }>(
      'ledger',
      `mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { status } }`,
      { a: [{ id: ledgerAccounts.from, tenantId, currency: 'BRL', code: 1 }, { id: ledgerAccounts.to, tenantId, currency: 'BRL', code: 1 }] },
      SERVICE,
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.deepEqual(created.data!.createLedgerAccounts.map((r) => r.status), ['CREATED', 'CREATED']);
    const backend = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId, scopes: ['customers:write'] }, 3600);
    for (let i = 0; i < CUSTOMERS; i++) {
      const id = uuidv7();
      const email = `faults.${i}.${id.slice(-8)}@example.com`;
      const base = String(100_000_000 + i * 7_654_321).slice(0, 9);
      const created = await ok<{ createCustomer: { status: string } }>(
        `mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { status } }`,
        { input: { id, kind: 'PERSON', displayName: `Cliente ${i}`, taxId: base + cpfCheckDigits(base), email } },
        backend,
      );
      assert.equal(created.createCustomer.status, 'CREATED');
      const identity: Identity = { subject: id, kind: 'customer', tenantId, scopes: CUSTOMER_SCOPES };
      const token = await platform.mintToken(identity, 3600);
      const account = uuidv7();
      await ok(`mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status } }`, { input: { id: account, currency: 'BRL' } }, token);
      const funded = await ok<{ fundSandboxAccount: { status: string } }>(
        `mutation F($input: FundSandboxAccountInput!) { fundSandboxAccount(input: $input) { status } }`,
        { input: { id: uuidv7(), accountId: account, amount: String(FUNDING) } },
        operatorToken,
      );
      assert.equal(funded.fundSandboxAccount.status, 'POSTED');
      customers.push({ id, identity, token, account, email });
    }
  });

  after(async () => {
    await platform?.stop().catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await stores?.close();
  });

  /** One transfer, as a careful client sends it: the same id until the answer is final. */
  async function transferUntilFinal(record: Sent): Promise<void> {
    const from = customers[record.from]!;
    const input = { id: record.id, fromAccountId: from.account, toAccountId: customers[record.to]!.account, amount: String(record.amount), description: 'fault load' };
    let last = '';
    for (let attempt = 1; attempt <= TRANSFER_TRIES; attempt++) {
      record.tries = attempt;
      assertNoProcessExited(); // a dead service never answers: say so now rather than after every retry
      try {
        const res = await gql<{ transfer: { status: string; failureCode: string | null } }>(
          `mutation T($input: AccountTransferInput!) { transfer(input: $input) { status failureCode } }`,
          { input },
          from.token,
        );
        const status = res.data?.transfer?.status;
        if (status && FINAL.has(status)) {
          record.status = status;
          return;
        }
        const code = String(res.errors?.[0]?.extensions?.code ?? '');
        if (res.errors) errorsSeen.set(code, (errorsSeen.get(code) ?? 0) + 1);
        if (res.errors && !TRANSIENT.has(code)) throw new Error(`transfer ${record.id}: not a transient error: ${JSON.stringify(res.errors)}`);
        last = status ?? `${res.status} ${code}`;
      } catch (error) {
        if (error instanceof Error && error.message.includes('not a transient error')) throw error;
        last = `network: ${(error as Error).message}`; // the gateway itself is reachable; a reset connection is worth a retry
      }
      await sleep(Math.min(50 * attempt, 1_000));
    }
    throw new Error(`transfer ${record.id} did not reach a final state in ${TRANSFER_TRIES} tries (last: ${last})`);
  }

  /**
   * Each customer sends transfers one after another to the others until `done()` says stop;
   * `onFinal` sees every transfer once it is final; `pauseMs` paces the next one.
   */
  async function load(done: () => boolean, onFinal: () => void, pauseMs: () => number): Promise<void> {
    await Promise.all(
      customers.map(async (_, from) => {
        let n = 0;
        while (!done()) {
          const to = (from + 1 + (n++ % (CUSTOMERS - 1))) % CUSTOMERS;
          const record: Sent = { id: uuidv7(), from, to, amount: BigInt(1 + Math.floor(Math.random() * 500)), status: 'SENT', tries: 0 };
          sent.push(record);
          await transferUntilFinal(record);
          onFinal();
          if (pauseMs() > 0) await sleep(pauseMs());
        }
      }),
    );
  }

  /** Steady load; the store stops after BEFORE_RESTART transfers, stays down DOWN_MS, starts; AFTER_RESTART more after it is back. */
  async function restartUnderLoad(store: StoreName, whileDown: () => Promise<void>): Promise<{ total: number; duringOutage: number }> {
    let finals = 0;
    let phase: 'before' | 'outage' | 'after' = 'before';
    let duringOutage = 0;
    let afterRestart = 0;
    let restartFailed: unknown;
    let startRestart!: () => void;
    const restartDue = new Promise<void>((resolve) => (startRestart = resolve));
    const restart = restartDue.then(async () => {
      phase = 'outage';
      try {
        await stores.stop(store);
        await Promise.all([sleep(DOWN_MS), whileDown()]);
        await stores.start(store);
      } catch (error) {
        restartFailed = error;
      }
      phase = 'after';
    });
    const started = sent.length;
    await load(
      () => restartFailed !== undefined || (phase === 'after' && afterRestart >= AFTER_RESTART) || sent.length - started >= PHASE_CAP,
      () => {
        finals += 1;
        if (phase === 'before' && finals >= BEFORE_RESTART) startRestart();
        else if (phase === 'outage') duringOutage += 1;
        else if (phase === 'after') afterRestart += 1;
      },
      () => (phase === 'outage' ? OUTAGE_PACE_MS : 0),
    );
    startRestart();
    await restart;
    if (restartFailed) throw restartFailed;
    assert.ok(afterRestart >= AFTER_RESTART, `the load stopped at its cap (${PHASE_CAP}) before ${AFTER_RESTART} transfers ran after the restart`);
    return { total: sent.length - started, duringOutage };
  }

  /** Money neither created nor lost: each balance is funding + in - out (POSTED only), nothing held, and the sum is the funding. */
  async function assertBalancesExact(): Promise<void> {
    const expected = customers.map(() => FUNDING);
    for (const t of sent) {
      assert.ok(FINAL.has(t.status), `transfer ${t.id} is ${t.status}`);
      if (t.status !== 'POSTED') continue;
      expected[t.from]! -= t.amount;
      expected[t.to]! += t.amount;
    }
    // Read as the customer reads it (the read model, falling back to the ledger); it may trail the ledger's events by a moment.
    const balances = await eventually(
      async () => {
        const seen = await Promise.all(
          customers.map(async (c) => {
            const data = await ok<{ account: { balance: { posted: { minorUnits: string }; available: { minorUnits: string }; pendingDebits: { minorUnits: string } } } }>(
              `query B($id: ID!) { account(id: $id) { balance { posted { minorUnits } available { minorUnits } pendingDebits { minorUnits } } } }`,
              { id: c.account },
              c.token,
            );
            const b = data.account.balance;
            return { posted: BigInt(b.posted.minorUnits), available: BigInt(b.available.minorUnits), held: BigInt(b.pendingDebits.minorUnits) };
          }),
        );
        assert.deepEqual(seen, expected.map((posted) => ({ posted, available: posted, held: 0n })));
        return seen;
      },
      { attempts: RESUME_ATTEMPTS, delayMs: 200 },
    );
    assert.equal(balances.reduce((sum, b) => sum + b.posted, 0n), FUNDING * BigInt(CUSTOMERS));
    const chain = await ok<{ verifyLedgerChain: { ok: boolean; checked: number; firstBadSeq: string | null; reason: string | null } }>(
      `query { verifyLedgerChain { ok checked firstBadSeq reason } }`,
      {},
      operatorToken,
    );
    assert.equal(chain.verifyLedgerChain.ok, true, JSON.stringify(chain.verifyLedgerChain));
  }

  function assertNoProcessExited(): void {
    if (platform.exits.length === 0) return;
    const errors = logTail.filter((l) => /"level":"(error|fatal)"/.test(l)).slice(-10).map((l) => l.slice(0, 300));
    assert.fail(`a service process ended by itself: ${JSON.stringify(platform.exits, null, 2)}\nlast errors logged:\n${errors.join('\n')}`);
  }

  const startSignIn = (email: string) =>
    ok(`mutation S($input: StartSignInInput!) { startSignIn(input: $input) { __typename } }`, { input: { id: uuidv7(), tenantId, channel: 'EMAIL', destination: email } });
  const codesSentTo = async (email: string) => {
    const res = await fetch(new URL(`/dev/notifications?to=${encodeURIComponent(email)}`, platform.subgraphUrls.identity!));
    return ((await res.json()) as { notifications: { code?: string }[] }).notifications.filter((n) => n.code).length;
  };
  /** A request that is refused (another customer's account) and so lands in the audit trail under `who`'s id. */
  const deny = async (who: Customer) => {
    const other = customers.find((c) => c !== who)!;
    const res = await gql(`query A($id: ID!) { account(id: $id) { id balance { posted { minorUnits } } } }`, { id: other.account }, who.token);
    assert.ok(res.errors?.some((e) => e.extensions?.code === 'FORBIDDEN'), JSON.stringify(res));
  };
  const deniedEvents = async (who: Customer) => {
    const trail = await ok<{ auditEvents: { events: { outcome: string }[] } }>(
      `query E($f: AuditFilter) { auditEvents(filter: $f, first: 50) { events { outcome } } }`,
      { f: { subject: who.id } },
      operatorToken,
    );
    return trail.auditEvents.events.filter((e) => e.outcome.toUpperCase() === 'DENIED').length;
  };

  /** A ledger write as an internal service makes it: directly (the ledger's writes are @inaccessible through the gateway). */
  const ledgerWrite = (id: string) =>
    platform.callSubgraph<{ createTransfers: { status: string }[] }>(
      'ledger',
      `mutation T($t: [TransferInput!]!) { createTransfers(transfers: $t) { status } }`,
      { t: [{ id, debitAccountId: ledgerAccounts.from, creditAccountId: ledgerAccounts.to, amount: '1', currency: 'BRL', code: 1 }] },
      SERVICE,
    );

  /** Accounts' balance read model has consumed and applied every ledger event (its durable consumer on the LEDGER stream). */
  const readModelCaughtUp = () =>
    eventually(
      async () => {
        const jsz = (await (await fetch(`${stores.natsMonitorUrl}/jsz?consumers=true`)).json()) as {
          account_details?: { stream_detail?: { name: string; consumer_detail?: { name: string; num_pending: number; num_ack_pending: number; num_redelivered: number }[] }[] }[];
        };
        const consumers = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).flatMap((d) => d.consumer_detail ?? []).filter((c) => c.name.endsWith('_balances')) ?? [];
        assert.equal(consumers.length, 1, JSON.stringify(jsz).slice(0, 500));
        assert.deepEqual([consumers[0]!.num_pending, consumers[0]!.num_ack_pending], [0, 0], 'the balance read model has ledger events left to apply');
      },
      { attempts: RESUME_ATTEMPTS, delayMs: 200 },
    );

  /** A read of a store that is down: an error a client knows to retry, not an internal error (nor a hang: the request is bounded). */
  const assertUnavailable = async (query: string, variables: Record<string, unknown>) => {
    const res = await gql(query, variables, operatorToken);
    assert.deepEqual(res.errors?.map((e) => e.extensions?.code), ['SERVICE_UNAVAILABLE'], JSON.stringify(res));
  };

  /** Done while the store is down (besides the transfers), what `resumed` then checks came through. */
  const whileDown: Record<StoreName, () => Promise<void>> = {
    // A write that reaches the ledger itself while PostgreSQL is down (the finding: its writer's
    // failed connect was an unhandled rejection that ended the process): a retryable error.
    postgres: async () => {
      const res = await ledgerWrite(ledgerTransferWhileDown);
      assert.deepEqual(res.errors?.map((e) => e.extensions?.code), ['SERVICE_UNAVAILABLE'], JSON.stringify(res));
    },
    redis: async () => undefined,
    // Identity's one-time code goes to its outbox (PostgreSQL) now, through NATS once it is back.
    nats: async () => {
      await startSignIn(customers[2]!.email);
    },
    // Every subgraph buffers its audit events while MongoDB is away and writes them when it is back;
    // kyc answers a retryable error meanwhile.
    mongo: async () => {
      await deny(customers[3]!);
      await assertUnavailable(`query K($id: ID!) { kycApplication(id: $id) { id } }`, { id: kycApplicationId });
    },
    neo4j: async () => {
      await assertUnavailable(`query R($id: ID!) { riskAssessment(id: $id) { id } }`, { id: riskAssessmentId });
    },
  };

  /** What each store serves besides the transfers: it must work again after the restart, by itself. */
  const resumed: Record<StoreName, () => Promise<void>> = {
    // Transfers after the restart cover accounts, ledger and identity (tokens, standing queries).
    postgres: async () => {
      // The same write, repeated with its id, goes through now (REPLAYED if the refused one had committed after all).
      await eventually(
        async () => {
          const res = await ledgerWrite(ledgerTransferWhileDown);
          assert.ok(['CREATED', 'REPLAYED'].includes(res.data?.createTransfers[0]?.status ?? ''), JSON.stringify(res));
        },
        { attempts: RESUME_ATTEMPTS, delayMs: 200 },
      );
      await eventually(async () => assert.ok((await readiness()).every((r) => r.ready), JSON.stringify(await readiness())), { attempts: RESUME_ATTEMPTS, delayMs: 200 });
    },
    // The gateway's rate limiter counts again (it fails open while Redis is away: no RateLimit headers
    // then), and the ledger events that came while Redis was away are applied to the read model.
    redis: async () => {
      await readModelCaughtUp();
      await eventually(
        async () => {
          const res = await gql(`query { __typename }`, {}, customers[0]!.token);
          assert.ok(res.headers.get('ratelimit-remaining'), 'no RateLimit-Remaining header: the limiter is not counting');
        },
        { attempts: RESUME_ATTEMPTS, delayMs: 200 },
      );
    },
    // The ledger's outbox relay publishes everything again, accounts' read model consumes it, and
    // identity's one-time codes reach the notification sink through NATS.
    nats: async () => {
      await eventually(
        async () => {
          const { rows } = await sql.query<{ outbox: string; cursor: string }>(
            `select (select coalesce(max(seq), 0) from ledger.outbox_event)::text as outbox, (select coalesce(max(last_seq), 0) from ledger.outbox_cursor)::text as cursor`,
          );
          assert.equal(rows[0]!.cursor, rows[0]!.outbox, 'the outbox relay has not caught up');
        },
        { attempts: RESUME_ATTEMPTS, delayMs: 200 },
      );
      await readModelCaughtUp();
      await startSignIn(customers[1]!.email);
      await eventually(
        async () => {
          assert.equal(await codesSentTo(customers[2]!.email), 1, 'the code asked for while NATS was down was not delivered');
          assert.equal(await codesSentTo(customers[1]!.email), 1, 'the code asked for after the restart was not delivered');
        },
        { attempts: RESUME_ATTEMPTS, delayMs: 200 },
      );
    },
    // The audit trail (every subgraph) writes again, and kyc reads its applications.
    mongo: async () => {
      await deny(customers[4]!);
      await eventually(
        async () => {
          assert.ok((await deniedEvents(customers[3]!)) >= 1, 'the denial while MongoDB was down is not in the audit trail');
          assert.ok((await deniedEvents(customers[4]!)) >= 1, 'the denial after the restart is not in the audit trail');
        },
        { attempts: RESUME_ATTEMPTS, delayMs: 200 },
      );
      await eventually(async () => {
        const data = await ok<{ kycApplication: { id: string } | null }>(`query K($id: ID!) { kycApplication(id: $id) { id } }`, { id: kycApplicationId }, operatorToken);
        assert.equal(data.kycApplication?.id, kycApplicationId);
      }, { attempts: RESUME_ATTEMPTS, delayMs: 200 });
    },
    // Risk reads its graph again.
    neo4j: async () => {
      await eventually(async () => {
        const data = await ok<{ riskAssessment: { id: string } | null }>(`query R($id: ID!) { riskAssessment(id: $id) { id } }`, { id: riskAssessmentId }, operatorToken);
        assert.equal(data.riskAssessment?.id, riskAssessmentId);
      }, { attempts: RESUME_ATTEMPTS, delayMs: 200 });
    },
  };

  /** /readyz of the gateway and of every subgraph. */
  async function readiness(): Promise<{ name: string; ready: boolean; body: string }[]> {
    const targets: [string, string][] = [['gateway', new URL('/readyz', platform.gatewayUrl).toString()], ...Object.entries(platform.subgraphUrls).map(([name, url]): [string, string] => [name, new URL('/readyz', url).toString()])];
    return Promise.all(
      targets.map(async ([name, url]) => {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
        return { name, ready: res?.status === 200, body: res ? (await res.text()).slice(0, 300) : 'no answer' };
      }),
    );
  }

  for (const store of RESTARTS) {
    it(`${store} restarts mid-load: every transfer ends final, balances exact, the chain verifies, what uses it resumes`, async (t) => {
      const phase = await restartUnderLoad(store, whileDown[store]);
      t.diagnostic(`${store}: ${phase.total} transfers, ${phase.duringOutage} finished while it restarted; ${sent.filter((s) => s.tries > 1).length} needed a retry so far; errors seen so far ${JSON.stringify(Object.fromEntries(errorsSeen))}`);
      assertNoProcessExited();
      await resumed[store]();
      await assertBalancesExact();
      assertNoProcessExited();
    });
  }

  it('afterwards every subgraph and the gateway are ready, and no service process ended', async () => {
    await eventually(
      async () => {
        const report = await readiness();
        assert.deepEqual(report.filter((r) => !r.ready), []);
      },
      { attempts: RESUME_ATTEMPTS, delayMs: 200 },
    );
    assert.deepEqual(Object.keys(platform.subgraphUrls).sort(), [...SUBGRAPHS].sort());
    assertNoProcessExited();
    // A store that cannot be reached is SERVICE_UNAVAILABLE (retryable), never an internal error.
    assert.equal(errorsSeen.get('INTERNAL_SERVER_ERROR') ?? 0, 0, `errors seen: ${JSON.stringify(Object.fromEntries(errorsSeen))}`);
    const counts = Object.fromEntries([...FINAL].map((s) => [s, sent.filter((t) => t.status === s).length]));
    assert.equal(sent.length, Object.values(counts).reduce((a, b) => a + b, 0));
  });
});
