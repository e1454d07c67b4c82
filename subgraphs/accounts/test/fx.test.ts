import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import pg from 'pg';
import fc from 'fast-check';
import { uuidv7 } from '@baas/db';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { parseRate, quote } from '../src/domain/fx';
import { createStaticRateProvider, parseMidRates } from '../src/domain/rates';
import { fxLiquidityAccountId, fxTransferIds } from '../src/sagas/fx-saga';
import { derivedUuid as deterministicUuid } from '@baas/server';

type Gql = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
type Quote = {
  id: string;
  sell: { minorUnits: string; currency: string };
  buy: { minorUnits: string; currency: string };
  rate: string;
  midRate: string;
  spreadBps: number;
  spread: { minorUnits: string; currency: string };
  expiresAt: string;
  status: string;
  fromAccount: { id: string };
  toAccount: { id: string };
};
type Saga = { id: string; status: string; failureCode: string | null };

describe('FX rates (built-in provider)', () => {
  it('keeps given pairs and derives inverses from the exact rational, rounded down to 12 digits', async () => {
    const table = parseMidRates('USD/BRL=5.4321,EUR/BRL=5.9012');
    assert.equal(table.get('USD/BRL'), '5.4321');
    const inverse = parseRate(table.get('BRL/USD')!);
    // inverse ≤ 1/5.4321 < inverse + 10^-12, exactly
    const mid = parseRate('5.4321');
    const unit = 10n ** 12n;
    assert.ok(inverse.numerator * mid.numerator <= inverse.denominator * mid.denominator);
    assert.ok((inverse.numerator * unit + inverse.denominator) * mid.numerator > inverse.denominator * unit * mid.denominator);
    const provider = createStaticRateProvider('USD/BRL=5.4321');
    assert.equal((await provider('usd', 'brl')).midRate, '5.4321');
    await assert.rejects(provider('USD', 'JPY'), (e: { code?: string; details?: { reason?: string } }) => e.code === 'CURRENCY_MISMATCH' && e.details?.reason === 'UNSUPPORTED_CURRENCY_PAIR');
    assert.throws(() => parseMidRates('USD-BRL=5'));
    assert.throws(() => parseMidRates('USD/BRL=abc'));
  });

  it('derives every inverse within 10^-12 below the exact reciprocal (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 0, max: 6 }), (digits, scale) => {
        const text = scale === 0 ? digits.toString() : `${digits / 10n ** BigInt(scale)}.${(digits % 10n ** BigInt(scale)).toString().padStart(scale, '0')}`;
        const r = parseRate(text);
        if (r.denominator * 10n ** 12n < r.numerator) return; // inverse below 10^-12: refused at load
        const inv = parseRate(parseMidRates(`USD/BRL=${text}`).get('BRL/USD')!);
        const unit = 10n ** 12n;
        assert.ok(inv.numerator * r.numerator <= inv.denominator * r.denominator);
        assert.ok((inv.numerator * unit + inv.denominator) * r.numerator > inv.denominator * unit * r.denominator);
      }),
    );
  });

  it('derives deterministic, valid UUIDs', () => {
    assert.equal(fxLiquidityAccountId('BRL'), fxLiquidityAccountId('brl'));
    assert.notEqual(fxLiquidityAccountId('BRL'), fxLiquidityAccountId('USD'));
    assert.match(deterministicUuid('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = fxTransferIds('0190b6a4-0000-7000-8000-000000000000');
    assert.notEqual(ids.sell, ids.buy);
  });
});

/** Quotes and executions through the gateway, against the real ledger. */
describe('FX through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: pg.Client;
  let platform: TestPlatform;
  let service: string;
  let alice: string;
  let backend: string;
  let bobToken: string;
  const tenant = uuidv7();
  const aliceId = uuidv7();
  const bobId = uuidv7();
  const acct = { usd: uuidv7(), brl: uuidv7(), eur: uuidv7(), usd2: uuidv7(), bobBrl: uuidv7() };
  const funding = { USD: uuidv7(), BRL: uuidv7() };

  /** The ledger's writes are @inaccessible through the gateway: an internal service calls the ledger directly. */
  const ledger = <T>(query: string, variables: Record<string, unknown> = {}) => platform.callSubgraph<T>('ledger', query, variables, { subject: 'test', kind: 'service', tenantId: null, scopes: [] });
  const gql = async <T>(token: string, query: string, variables: Record<string, unknown> = {}) =>
    (await graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, token })) as Gql & { data?: T };

  const QUOTE = `mutation Q($input: FxQuoteInput!) { quoteFx(input: $input) {
    id rate midRate spreadBps status expiresAt sell { minorUnits currency } buy { minorUnits currency } spread { minorUnits currency } fromAccount { id } toAccount { id } } }`;
  const EXECUTE = `mutation E($id: ID!, $quoteId: ID!) { executeFxQuote(id: $id, quoteId: $quoteId) { id status failureCode } }`;

  const ledgerPosted = async (id: string) => {
    const r = await gql<{ ledgerAccount: { balance: { posted: { minorUnits: string } } } }>(service, `query B($id: ID!) { ledgerAccount(id: $id) { balance { posted { minorUnits } } } }`, { id });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return BigInt(r.data!.ledgerAccount.balance.posted.minorUnits);
  };
  const fund = async (accountId: string, currency: 'USD' | 'BRL', amount: bigint) => {
    const r = await ledger<{ createTransfers: { status: string; error: string | null }[] }>(
      `mutation T($t: [TransferInput!]!) { createTransfers(transfers: $t) { status error } }`,
      { t: [{ id: uuidv7(), debitAccountId: funding[currency], creditAccountId: accountId, amount: amount.toString(), currency, code: 2 }] },
    );
    assert.equal(r.data?.createTransfers[0]?.status, 'CREATED', JSON.stringify(r));
  };
  const quoteOk = async (token: string, input: Record<string, unknown>) => {
    const r = await gql<{ quoteFx: Quote }>(token, QUOTE, { input });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.quoteFx;
  };

  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(`insert into identity.tenant (id, slug, name) values ($1, 'fx', 'FX')`, [tenant]);
    for (const id of [aliceId, bobId]) {
      await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'C')`, [id, tenant]);
    }
    platform = await startPlatform({ databaseUrl: db.url, env: { DEFAULT_CURRENCIES: 'BRL,USD,EUR', FX_MID_RATES: 'USD/BRL=5.4321,EUR/BRL=5.9012', FX_SPREAD_BPS: '50', FX_QUOTE_TTL_SECONDS: '60' } });
    service = await platform.mintToken({ subject: 'test', kind: 'service', tenantId: null, scopes: [] });
    alice = await platform.mintToken({ subject: aliceId, kind: 'customer', tenantId: tenant, scopes: [] });
    bobToken = await platform.mintToken({ subject: bobId, kind: 'customer', tenantId: tenant, scopes: [] });
    backend = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: tenant, scopes: ['accounts:write'] });
    const OPEN = `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status account { id currency } } }`;
    for (const [id, currency] of [[acct.usd, 'USD'], [acct.brl, 'BRL'], [acct.eur, 'EUR'], [acct.usd2, 'USD']] as const) {
      const r = await gql(alice, OPEN, { input: { id, currency } });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    }
    assert.equal((await gql(bobToken, OPEN, { input: { id: acct.bobBrl, currency: 'BRL' } })).errors, undefined);
    const created = await ledger<{ createLedgerAccounts: { status: string }[] }>(
      `mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error } }`,
      { a: [{ id: funding.USD, currency: 'USD', code: 900 }, { id: funding.BRL, currency: 'BRL', code: 900 }] },
    );
    assert.deepEqual(created.data?.createLedgerAccounts.map((r) => r.status), ['CREATED', 'CREATED']);
    await fund(acct.usd, 'USD', 100_000n); // US$ 1,000.00
  });

  after(async () => {
    await sql?.end();
    await platform?.stop();
    await db?.drop();
  });

  it('prices a sell-side quote exactly and shows it through the API', async () => {
    const requestedAt = Date.now();
    const q = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '10000' });
    const answeredAt = Date.now();
    // 5.4321 × (1 − 0.005) = 5.4049395; floor(10000 × 5.4049395) = 54049
    assert.deepEqual(q.sell, { minorUnits: '10000', currency: 'USD' });
    assert.deepEqual(q.buy, { minorUnits: '54049', currency: 'BRL' });
    assert.equal(q.rate, '5.4049395000000000');
    assert.equal(q.midRate, '5.4321');
    assert.equal(q.spreadBps, 50);
    assert.deepEqual(q.spread, { minorUnits: '50', currency: 'USD' });
    assert.equal(q.status, 'OPEN');
    assert.equal(q.fromAccount.id, acct.usd);
    // 60 s after it was priced, which happened between the two clock reads (no bound on how long the call took).
    const expiresAt = Date.parse(q.expiresAt);
    assert.ok(expiresAt >= requestedAt + 59_000 && expiresAt <= answeredAt + 60_000, `expires at ${q.expiresAt}`);
  });

  it('prices a buy-side quote over a derived inverse pair, rounding what the customer pays up', async () => {
    const q = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, buyAmount: '1000' });
    const mid = parseMidRates('USD/BRL=5.4321,EUR/BRL=5.9012').get('BRL/USD')!;
    const expected = quote({ from: 'BRL', to: 'USD', buyAmountMinor: 1000n, midRate: mid, spreadBps: 50 });
    assert.equal(q.midRate, mid);
    assert.equal(q.buy.minorUnits, '1000');
    assert.equal(q.sell.minorUnits, expected.sellAmount.amount.toString());
    assert.equal(q.rate, expected.rate);
    // US$ 10.00 = R$ 54.321 at mid; / (1 − 0.005) = R$ 54.594…, rounded up to the cent.
    assert.equal(q.sell.minorUnits, '5460');
  });

  it('is idempotent by id and refuses bad requests', async () => {
    const input = { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '500' };
    const first = await quoteOk(alice, input);
    const again = await quoteOk(alice, input);
    assert.deepEqual(again, first);
    const code = async (token: string, i: Record<string, unknown>) => (await gql(token, QUOTE, { input: i })).errors?.[0]?.extensions?.['code'];
    assert.equal(await code(alice, { ...input, sellAmount: '501' }), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await code(alice, { ...input, id: uuidv7(), buyAmount: '100' }), 'BAD_USER_INPUT'); // both amounts
    assert.equal(await code(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl }), 'BAD_USER_INPUT'); // neither
    assert.equal(await code(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.usd2, sellAmount: '100' }), 'CURRENCY_MISMATCH');
    assert.equal(await code(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.eur, sellAmount: '100' }), 'CURRENCY_MISMATCH'); // no USD/EUR rate
    assert.equal(await code(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.bobBrl, sellAmount: '100' }), 'FORBIDDEN');
    assert.equal(await code(bobToken, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '100' }), 'FORBIDDEN');
    assert.equal(await code(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '-5' }), 'BAD_USER_INPUT');
    // The tenant's backend may quote for its customer; Bob may not read Alice's quote.
    const byBackend = await quoteOk(backend, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '100' });
    assert.equal(byBackend.buy.minorUnits, '540');
    const read = await gql<{ fxQuote: { id: string } }>(alice, `query R($id: ID!) { fxQuote(id: $id) { id status } }`, { id: byBackend.id });
    assert.equal(read.data?.fxQuote.id, byBackend.id);
    assert.equal((await gql(bobToken, `query R($id: ID!) { fxQuote(id: $id) { id } }`, { id: byBackend.id })).errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  });

  it('executes with one linked batch: exactly sell out and buy in, replayable, once per quote', async () => {
    const usdBefore = await ledgerPosted(acct.usd);
    const brlBefore = await ledgerPosted(acct.brl);
    const q = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '20000' });
    const execId = uuidv7();
    const r = await gql<{ executeFxQuote: Saga }>(alice, EXECUTE, { id: execId, quoteId: q.id });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data!.executeFxQuote.id, execId);
    assert.equal(r.data!.executeFxQuote.status, 'POSTED');
    assert.equal(await ledgerPosted(acct.usd), usdBefore - 20_000n);
    assert.equal(await ledgerPosted(acct.brl), brlBefore + BigInt(q.buy.minorUnits));
    assert.equal(q.buy.minorUnits, '108098'); // floor(20000 × 5.4049395)

    const saga = await sql.query(`select kind, state, amount, currency, quote_id from accounts.transfer_saga where id = $1`, [execId]);
    assert.deepEqual(saga.rows[0], { kind: 'FX', state: 'POSTED', amount: '20000', currency: 'USD', quote_id: q.id });
    const legs = await sql.query(`select id, debit_account_id, credit_account_id, amount::text, code, linked_group from ledger.transfer where id = any($1::uuid[]) order by code`, [[fxTransferIds(execId).sell, fxTransferIds(execId).buy]]);
    assert.equal(legs.rows.length, 2);
    assert.deepEqual(legs.rows.map((l) => [l.debit_account_id, l.credit_account_id, l.amount, l.code]), [
      [acct.usd, fxLiquidityAccountId('USD'), '20000', 3],
      [fxLiquidityAccountId('BRL'), acct.brl, '108098', 4],
    ]);
    assert.ok(legs.rows[0].linked_group && legs.rows[0].linked_group === legs.rows[1].linked_group);
    const liquidity = await sql.query(`select tenant_id, code, flags from ledger.ledger_account where id = $1`, [fxLiquidityAccountId('BRL')]);
    assert.deepEqual(liquidity.rows[0], { tenant_id: null, code: 910, flags: 0 });

    // Replay: same saga, nothing moves again.
    const replay = await gql<{ executeFxQuote: Saga }>(alice, EXECUTE, { id: execId, quoteId: q.id });
    assert.deepEqual(replay.data?.executeFxQuote, r.data!.executeFxQuote);
    assert.equal(await ledgerPosted(acct.usd), usdBefore - 20_000n);
    // A second execution of the same quote is refused; the quote shows EXECUTED.
    const second = await gql(alice, EXECUTE, { id: uuidv7(), quoteId: q.id });
    assert.equal(second.errors?.[0]?.extensions?.['code'], 'CONFLICT');
    assert.match(second.errors?.[0]?.message ?? '', /already executed/);
    const read = await gql<{ fxQuote: { status: string } }>(alice, `query R($id: ID!) { fxQuote(id: $id) { status } }`, { id: q.id });
    assert.equal(read.data?.fxQuote.status, 'EXECUTED');
    // The id of an execution cannot be reused for another quote; others cannot execute Alice's quotes.
    const other = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '100' });
    assert.equal((await gql(alice, EXECUTE, { id: execId, quoteId: other.id })).errors?.[0]?.extensions?.['code'], 'IDEMPOTENCY_KEY_REUSED');
    assert.equal((await gql(bobToken, EXECUTE, { id: uuidv7(), quoteId: other.id })).errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  });

  it('refuses an expired quote', async () => {
    const q = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '1000' });
    await sql.query(`update accounts.fx_quote set expires_at = now() - interval '1 second' where id = $1`, [q.id]);
    const usdBefore = await ledgerPosted(acct.usd);
    const r = await gql(alice, EXECUTE, { id: uuidv7(), quoteId: q.id });
    assert.equal(r.errors?.[0]?.extensions?.['code'], 'CONFLICT');
    assert.match(r.errors?.[0]?.message ?? '', /expired/);
    assert.equal(await ledgerPosted(acct.usd), usdBefore);
    const read = await gql<{ fxQuote: { status: string } }>(alice, `query R($id: ID!) { fxQuote(id: $id) { status } }`, { id: q.id });
    assert.equal(read.data?.fxQuote.status, 'EXPIRED');
  });

  it('fails with INSUFFICIENT_FUNDS as a FAILED transfer, moving nothing on either side', async () => {
    const usdBefore = await ledgerPosted(acct.usd);
    const brlBefore = await ledgerPosted(acct.brl);
    const q = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: (usdBefore + 1n).toString() });
    const execId = uuidv7();
    const r = await gql<{ executeFxQuote: Saga }>(alice, EXECUTE, { id: execId, quoteId: q.id });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.deepEqual(r.data!.executeFxQuote, { id: execId, status: 'FAILED', failureCode: 'INSUFFICIENT_FUNDS' });
    assert.equal(await ledgerPosted(acct.usd), usdBefore);
    assert.equal(await ledgerPosted(acct.brl), brlBefore);
    const legs = await sql.query(`select count(*)::int as n from ledger.transfer where id = any($1::uuid[])`, [[fxTransferIds(execId).sell, fxTransferIds(execId).buy]]);
    assert.equal(legs.rows[0].n, 0);
    // Replaying returns the same failure.
    const replay = await gql<{ executeFxQuote: Saga }>(alice, EXECUTE, { id: execId, quoteId: q.id });
    assert.deepEqual(replay.data?.executeFxQuote, r.data!.executeFxQuote);
  });

  it('resumes an FX saga a crash left PENDING (same linked batch, idempotent)', async () => {
    const { createAccountsSagaEngine } = await import('../src/sagas/accounts-sagas');
    const { createSagaStore } = await import('../src/store/saga-store');
    const { createFxQuoteStore } = await import('../src/store/fx-quote-store');
    const { createAccountStore } = await import('../src/store/account-store');
    const { ensureLedgerAccount } = await import('../src/use-cases/ensure-ledger-account');
    const { createLedgerClient } = await import('../src/clients/ledger/client');
    const { createPrismaClient } = await import('@baas/db');
    const { PrismaClient } = await import('../src/generated/prisma/client');
    const prisma = createPrismaClient(PrismaClient, db.url);
    try {
      const usdBefore = await ledgerPosted(acct.usd);
      const q = await quoteOk(alice, { id: uuidv7(), fromAccountId: acct.usd, toAccountId: acct.brl, sellAmount: '300' });
      const execId = uuidv7();
      // What a crash right after the claim leaves behind: the quote claimed, the saga PENDING, nothing in the ledger.
      await sql.query(`update accounts.fx_quote set executed_by = $1 where id = $2`, [execId, q.id]);
      await sql.query(
        `insert into accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, state, quote_id, request_hash)
         values ($1, 'FX', $2, $3, $4, $5, 300, 'USD', 'PENDING', $6, 'x')`,
        [execId, tenant, aliceId, acct.usd, acct.brl, q.id],
      );
      const ledger = createLedgerClient({ url: platform.subgraphUrls['ledger']!, secret: platform.internalSecret });
      // A second worker's saga engine (the FX kind among its definitions) over the same database: it claims the saga (the lease is free) and finishes it.
      const store = createSagaStore(prisma);
      const accountStore = createAccountStore(prisma);
      const silent = { warn() {}, info() {}, error() {} };
      const engine = createAccountsSagaEngine({
        store,
        config: { SAGA_LEASE_SECONDS: 30, SAGA_STEP_DELAY_MS: 0, SAGA_RETRY_BASE_MS: 500, SAGA_RETRY_MAX_MS: 30_000 },
        isRunning: () => true,
        ledger,
        limits: { reserve: (s) => store.reserveUsage(s, { perTransaction: null, perDayCustomer: null, perDayTenant: null }, 30_000), release: (s) => store.releaseUsage(s) },
        risk: { assess: async () => ({ decision: 'ALLOW', reasons: [] }) },
        quotes: createFxQuoteStore(prisma),
        accounts: { findByIds: (ids) => accountStore.findByIds(ids), ensureLedgerAccount: (row) => ensureLedgerAccount({ ledger, accounts: accountStore }, row) },
        readModel: null,
        logger: silent,
      });
      const done = await engine.drive(execId);
      assert.equal(done?.state, 'POSTED');
      assert.equal(await engine.drive(execId).then((s) => s?.state), 'POSTED'); // again: the saga is final, nothing is sent
      assert.equal(await ledgerPosted(acct.usd), usdBefore - 300n);
    } finally {
      await prisma.$disconnect();
    }
  });
});
