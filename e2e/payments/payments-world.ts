import assert from 'node:assert/strict';
import pg from 'pg';
import { uuidv7 } from '@baas/db';
import { JourneyLedgerAccountDocument, PaymentOrderDocument, type PaymentOrderQuery } from '@baas/sdk';
import { SET_RISK_SETTINGS, startRiskWorld, type Caller, type OpenedAccount, type RiskWorld } from '../risk/risk-world';
// The rails' platform ledger accounts (clearing per rail and currency, fees per currency): derived ids.
import { clearingAccountId, feesAccountId } from '../../subgraphs/payments/src/sagas/order-effects';

export { clearingAccountId, feesAccountId };

export type Order = NonNullable<PaymentOrderQuery['paymentOrder']>;
export type Balance = { posted: bigint; available: bigint };

/** What the ledger holds behind one account, read by the operator. */
export type LedgerView = Balance & {
  /** The sum of the posted movements (the statement's entries, signed) from a zero opening balance. */
  movements: bigint;
  /** Pending debits still held (two-phase holds not yet posted or voided). */
  held: bigint;
  entries: { transferId: string; amount: bigint; code: number }[];
};

export type PaymentsWorld = RiskWorld & {
  /** Polls `read` until `done` holds (a deadline, not a timing assertion); returns the last value read. */
  until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, deadlineMs?: number): Promise<T>;
  /** The ledger account's balances and movements. */
  ledger(ledgerAccountId: string): Promise<LedgerView>;
  /**
   * Waits until the account (the operator's account read) shows `expected`, then checks that the
   * ledger agrees: the same balances, posted = the sum of its movements, available = posted − held.
   */
  agree(account: OpenedAccount, expected: Balance): Promise<LedgerView>;
  /** A payment order as `as` reads it. */
  order(id: string, as: Caller): Promise<Order>;
  /** Waits until the order is in `state`. */
  orderIn(id: string, as: Caller, state: string): Promise<Order>;
  /** A statement on this platform's database (the tests' stand-in for time passing). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** A fresh idempotency key. */
  id(): string;
};

/** A platform (risk-world's) for the payments journeys, with the ledger checks they make at every step. */
export async function startPaymentsWorld(env: Record<string, string> = {}, opts: { processes?: readonly string[] } = {}): Promise<PaymentsWorld> {
  // Night-time PIX limits are low by default (R$ 1.000): the journeys run at any hour.
  const w = await startRiskWorld({ env: { PIX_DEFAULT_NIGHTTIME_LIMIT: '5000000', ...env }, ...(opts.processes ? { processes: opts.processes } : {}) });
  const db = new pg.Client({ connectionString: w.db.url });
  await db.connect();

  const until: PaymentsWorld['until'] = async (what, read, done, deadlineMs = 20_000) => {
    const deadline = Date.now() + deadlineMs;
    let value = await read();
    while (!done(value)) {
      if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
      await new Promise((r) => setTimeout(r, 100));
      value = await read();
    }
    return value;
  };

  const ledger = async (id: string): Promise<LedgerView> => {
    const { ledgerAccount: l } = await w.ok(JourneyLedgerAccountDocument, { id }, w.operator);
    assert.ok(l, `ledger account ${id}`);
    assert.equal(l.statement.hasNextPage, false);
    assert.equal(l.transfers.pageInfo.hasNextPage, false);
    const entries = l.statement.entries.map((e) => ({ transferId: e.transferId, amount: BigInt(e.amount), code: e.code }));
    const held = l.transfers.edges
      .map((e) => e.node)
      // pendingStatus is set on holds (PENDING transfers) only.
      .filter((t) => t.pendingStatus === 'PENDING' && t.debitAccount.id === id)
      .reduce((sum, t) => sum + BigInt(t.amount.minorUnits), 0n);
    return {
      posted: BigInt(l.balance.posted.minorUnits),
      available: BigInt(l.balance.available.minorUnits),
      movements: BigInt(l.statement.openingBalance) + entries.reduce((sum, e) => sum + e.amount, 0n),
      held,
      entries,
    };
  };

  const order = async (id: string, as: Caller) => {
    const data = await w.ok(PaymentOrderDocument, { id }, as);
    assert.ok(data.paymentOrder, `payment order ${id}`);
    return data.paymentOrder;
  };

  return {
    ...w,
    // These journeys are about rails, not fraud: the model's judgement of their movements (it reads
    // the hour of day, among others) must not decide whether they pass, so each tenant asks risk never
    // to step up or block on the score. Risk still scores every movement, and its outage is still the
    // tenant's fail mode at work. The risk e2e tests judge the score itself.
    async newTenant() {
      const tenant = await w.newTenant();
      await w.ok(SET_RISK_SETTINGS, { input: { tenantId: tenant.id, reviewAtBps: 10000, blockAtBps: 10000 } }, w.operator);
      return tenant;
    },
    until,
    ledger,
    async agree(account, expected) {
      const show = (b: Balance) => `${b.posted}/${b.available}`;
      await until(`balance of ${account.id} (posted/available) to be ${show(expected)}`, () => w.balance(account.id).then(show), (b) => b === show(expected));
      const l = await ledger(account.ledgerAccountId);
      assert.deepEqual({ posted: l.posted, available: l.available }, expected, 'the ledger shows the balances the account shows');
      assert.equal(l.movements, l.posted, 'posted is the sum of the movements');
      assert.equal(l.posted - l.held, l.available, 'available is posted less the holds');
      return l;
    },
    order,
    orderIn: (id, as, state) => until(`order ${id} to be ${state}`, () => order(id, as), (o) => o.state === state),
    sql: (text, values) => db.query(text, values),
    id: uuidv7,
    async stop() {
      await db.end().catch(() => undefined);
      await w.stop();
    },
  };
}
