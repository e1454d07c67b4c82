import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { IDENTITY_HEADER, signIdentityAssertion } from '@baas/auth';
import { parseConfig } from '@baas/config';
import { createPrismaClient } from '@baas/db';
import { createLogger } from '@baas/observability';
import { createPiiVault } from '@baas/pii';
import { createRiskPort, type RiskVerdict } from '@baas/policy';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { createLedgerSubgraph, ledgerConfigSchema } from '@baas/subgraph-ledger';
import { createLedgerClient } from '../../src/clients/ledger/client';
import type { DecisionPort } from '../../src/clients/decision/client';
import { deriveCvv } from '../../src/domain/cvv';
import { panFromSequence, panParts } from '../../src/domain/pan';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createAuthorizationStore } from '../../src/store/authorization-store';
import { createCardLookupStore } from '../../src/store/card-lookup-store';
import { createCardTransactionStore } from '../../src/store/card-transaction-store';
import { PAN_INDEX_CONTEXT } from '../../src/store/pan-index';
import { createVelocityStore } from '../../src/store/velocity-store';
import type { NetworkDeps } from '../../src/use-cases/process-network-message';

const FUNDING_CODE = 900;

/**
 * A cards database with the ledger's schema beside it, the real ledger subgraph in this process on a free
 * port (reached over HTTP through the cards ledger client), real Redis under a private prefix, the shared
 * risk port over a score function the test controls, and a decision port the test may set.
 */
export async function startAuthorizationFixture() {
  const database: TestDatabase = await createTestDatabase({ domains: ['cards', 'ledger'] });
  const secret = `test-internal-secret-${randomUUID()}`;
  const config = parseConfig(ledgerConfigSchema, {
    NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, INTERNAL_IDENTITY_SECRET: secret, PORT: '0', LEDGER_OUTBOX_RELAY: 'false', AUDIT_ENABLED: 'false', LEDGER_EXPIRY_INTERVAL_MS: '200',
  });
  if (!config.ok) throw new Error(config.problems.join('\n'));
  const ledgerService = await createLedgerSubgraph(config.config, createLogger({ service: 'ledger', level: 'silent' }));
  const db = createPrismaClient(PrismaClient, database.url, { max: 20 });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `test-${randomUUID().slice(0, 8)}:`;
  const vault = createPiiVault({ keys: { k1: randomBytes(32).toString('base64') }, activeKeyId: 'k1', blindIndexKey: randomBytes(32).toString('base64') });
  const cvvKey = randomBytes(32);
  const ledger = createLedgerClient({ url: ledgerService.url, secret });
  const risk: { score: (o: unknown) => Promise<RiskVerdict>; failMode: 'OPEN' | 'CLOSED' } = { score: async () => ({ decision: 'ALLOW', reasons: [] }), failMode: 'CLOSED' };
  const warnings: unknown[] = [];
  const logger = { warn: (o: Record<string, unknown>) => void warnings.push(o), error: (o: Record<string, unknown>) => void warnings.push(o) };
  const deps: NetworkDeps & { decision?: DecisionPort } = {
    cards: createCardLookupStore(db),
    authorizations: createAuthorizationStore(db),
    transactions: createCardTransactionStore(db),
    velocity: createVelocityStore(redis, prefix),
    ledger,
    vault,
    cvvKey,
    risk: createRiskPort({ score: (o) => risk.score(o), failMode: async () => risk.failMode, timeoutMs: 500, logger }),
    holdDays: 7,
    logger,
  };
  const fundingId = randomUUID();
  await ledger.createAccounts([{ id: fundingId, currency: 'BRL', code: FUNDING_CODE, flags: [] }]);
  let sequence = BigInt(Date.now() % 1_000_000) * 1000n;

  async function ledgerQuery<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(ledgerService.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await signIdentityAssertion({ subject: 'cards-test', kind: 'service', tenantId: null, scopes: [] }, secret) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  }

  /** An ACTIVE BRL card on a new customer's ledger account funded with `funds`; its PAN, expiry and CVV. */
  async function issueCard(opts: { funds?: bigint; state?: string; expiry?: string; controls?: Record<string, unknown>; tenantId?: string } = {}) {
    sequence += 1n;
    const pan = panFromSequence('400000', sequence);
    const tenantId = opts.tenantId ?? randomUUID();
    const customerId = randomUUID();
    const ledgerAccountId = randomUUID();
    await ledger.createAccounts([{ id: ledgerAccountId, tenantId, customerId, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] }]);
    if ((opts.funds ?? 0n) > 0n) await ledger.createTransfers([{ id: randomUUID(), debitAccountId: fundingId, creditAccountId: ledgerAccountId, amount: opts.funds!, currency: 'BRL', code: 2 }]);
    const expiry = opts.expiry ?? '3012';
    const { first6, last4 } = panParts(pan);
    const card = await db.card.create({
      data: {
        id: randomUUID(), tenantId, customerId, accountId: randomUUID(), ledgerAccountId, currency: 'BRL', form: 'VIRTUAL', state: opts.state ?? 'ACTIVE', brand: 'VISA', first6, last4,
        panIndex: vault.blindIndex(pan, PAN_INDEX_CONTEXT), expiry, controls: JSON.stringify(opts.controls ?? {}), requestHash: 'test',
      },
    });
    return { card, pan, expiry, cvv: deriveCvv(cvvKey, pan, expiry), tenantId };
  }

  /** The customer account's balances in the ledger (minor units). */
  async function balance(ledgerAccountId: string): Promise<{ posted: bigint; pending: bigint; available: bigint }> {
    const data = await ledgerQuery<{ ledgerAccount: { balance: { posted: { minorUnits: string }; pendingDebits: { minorUnits: string }; available: { minorUnits: string } } } }>(
      'query B($id: ID!) { ledgerAccount(id: $id) { balance { posted { minorUnits } pendingDebits { minorUnits } available { minorUnits } } } }',
      { id: ledgerAccountId },
    );
    const b = data.ledgerAccount.balance;
    return { posted: BigInt(b.posted.minorUnits), pending: BigInt(b.pendingDebits.minorUnits), available: BigInt(b.available.minorUnits) };
  }

  return {
    db,
    deps,
    /** The PII vault behind deps.vault (sealing a tenant decision secret). */
    vault,
    risk,
    redis,
    prefix,
    warnings,
    balance,
    issueCard,
    async events(subject: string): Promise<Record<string, unknown>[]> {
      const rows = await db.cardEventOutbox.findMany({ where: { subject }, orderBy: { seq: 'asc' } });
      return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    },
    async rowCounts() {
      return { authorizations: await db.cardAuthorization.count(), transactions: await db.cardTransaction.count(), events: await db.cardEventOutbox.count() };
    },
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await db.$disconnect();
      await ledgerService.stop();
      await database.drop();
    },
  };
}

export type AuthorizationFixture = Awaited<ReturnType<typeof startAuthorizationFixture>>;

let stanCounter = 0;
/** A fresh STAN (6 digits). */
export const nextStan = (): string => String(++stanCounter % 1_000_000).padStart(6, '0');
/** A fresh RRN (12 alphanumerics). */
export const nextRrn = (): string => randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase();
const amount12 = (amount: bigint) => amount.toString().padStart(12, '0');

/** An 0100 authorisation request for `pan`. */
export function authRequest(c: { pan: string; expiry: string; cvv?: string }, amount: bigint, over: Record<string, string> = {}) {
  const elements: Record<string, string> = {
    '2': c.pan, '3': '000000', '4': amount12(amount), '7': '1206120000', '11': nextStan(), '14': c.expiry, '18': '5411', '22': '812', '37': nextRrn(), '42': 'MERCHANT000001', '43': 'GROCERY STORE            SAO PAULO    BR', '49': '986',
    ...(c.cvv ? { '126': c.cvv } : {}),
    ...over,
  };
  return { mti: '0100', elements };
}

/** An 0220 clearing of the authorisation `auth` (same RRN) for `amount`; processing code 20 makes it a refund. */
export function clearing(c: { pan: string }, rrn: string, amount: bigint, over: Record<string, string> = {}) {
  return { mti: '0220', elements: { '2': c.pan, '3': '000000', '4': amount12(amount), '7': '1206130000', '11': nextStan(), '18': '5411', '37': rrn, '42': 'MERCHANT000001', '49': '986', ...over } };
}

/** An 0400 reversal of the authorisation with `rrn` and STAN `stan`, for `amount`. */
export function reversal(c: { pan: string }, rrn: string, stan: string, amount: bigint) {
  return { mti: '0400', elements: { '2': c.pan, '3': '000000', '4': amount12(amount), '7': '1206140000', '11': nextStan(), '37': rrn, '49': '986', '90': `0100${stan}1206120000` } };
}
