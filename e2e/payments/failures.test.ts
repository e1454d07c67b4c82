import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import { FaultsLedgerTransfersDocument, FaultsOrderStateDocument, FaultsSendWireDocument, PayPixDocument, RegisterPixKeyDocument, SetPixLimitDocument, SimulateRailReturnDocument, type FaultsOrderStateQuery } from '@baas/sdk';
import { errorCode, errorDetails, startRiskWorld, type Customer, type OpenedAccount, type RiskWorld, type Tenant } from '../risk/risk-world';

/*
 * Issue 13, "Done when" 2: the payments subgraph's failure paths through the gateway. Every order
 * ends in a final state with nothing lost or doubled: the payer's balance equals its funding less
 * what settled and was not returned, each order holds once and posts or voids that hold once (the
 * ledger's transfers, by the order's id), its history is one path, and a repeated mutation replays.
 * Payments runs as a child process so the last test can SIGKILL it mid-order.
 */

type Order = NonNullable<FaultsOrderStateQuery['paymentOrder']>;
type Party = { customer: Customer; account: OpenedAccount };
const FUND = 1_000_000n;
const FINAL = new Set(['SETTLED', 'FAILED', 'DENIED', 'RETURNED', 'PARTIALLY_RETURNED', 'CANCELLED']);
const SETTLED_PATH = ['APPROVE', 'HOLD_PLACED', 'SENT_TO_RAIL', 'SETTLE'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('payments failure paths', { timeout: 240_000 }, () => {
  let w: RiskWorld;
  let tenant: Tenant;
  before(async () => {
    w = await startRiskWorld({
      processes: ['payments'],
      env: {
        // Short rail timings so timeouts, retries and inquiries happen within the test.
        RAIL_SUBMIT_TIMEOUT_MS: '500',
        RAIL_INQUIRY_AFTER_MS: '1000',
        RAIL_MAX_SUBMIT_ATTEMPTS: '3',
        ORDER_RECOVERY_INTERVAL_MS: '100',
        ORDER_LEASE_MS: '3000',
        // Night-time (São Paulo) runs keep the same limits as daytime ones.
        PIX_DEFAULT_NIGHTTIME_LIMIT: '5000000',
      },
    });
    tenant = await w.newTenant();
  });
  after(async () => {
    await w?.stop();
  });

  /** A funded payer and a payee answering to an EVP key. */
  async function parties(): Promise<{ payer: Party; payee: Party; key: string }> {
    const payerCustomer = await w.newCustomer(tenant);
    const payeeCustomer = await w.newCustomer(tenant);
    const payer = { customer: payerCustomer, account: await w.openAccount(payerCustomer, FUND) };
    const payee = { customer: payeeCustomer, account: await w.openAccount(payeeCustomer) };
    const key = await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: payee.account.id, keyType: 'EVP' } }, payeeCustomer.identity);
    return { payer, payee, key: key.registerPixKey.key };
  }

  const payInput = (payer: Party, key: string, amount: bigint, description: string, id = uuidv7(), waitMs = 0) => ({ input: { id, accountId: payer.account.id, key, amount: amount.toString(), description, waitMs } });

  /** Polls the order (as the operator) until `done`, at most `ms`. */
  async function orderWhen(id: string, done: (o: Order) => boolean, ms = 30_000): Promise<Order> {
    const deadline = Date.now() + ms;
    for (;;) {
      const o = (await w.ok(FaultsOrderStateDocument, { id }, w.operator)).paymentOrder;
      if (o && done(o)) return o;
      if (Date.now() > deadline) assert.fail(`order ${id} did not get there in ${ms} ms: ${JSON.stringify(o)}`);
      await sleep(100);
    }
  }
  const final = (id: string, ms?: number) => orderWhen(id, (o) => FINAL.has(o.state), ms);

  /** Every transfer of a ledger account (all pages), newest first. */
  async function transfersOf(ledgerAccountId: string) {
    const out = [];
    let after: string | null | undefined;
    do {
      const page = (await w.ok(FaultsLedgerTransfersDocument, { id: ledgerAccountId, first: 100, ...(after ? { after } : {}) }, w.operator)).ledgerAccount!.transfers;
      out.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return out;
  }

  /** An order's movements on the payer's ledger account: holds, posts and voids of those holds, returns. */
  async function movementsOf(payer: Party, orderId: string) {
    const all = await transfersOf(payer.account.ledgerAccountId);
    const mine = (t: (typeof all)[number]) => (t.metadata as { paymentOrderId?: string } | null)?.paymentOrderId === orderId;
    const holds = all.filter((t) => t.kind === 'PENDING' && mine(t));
    const holdIds = new Set(holds.map((h) => h.id));
    const of = (kind: string) => all.filter((t) => t.kind === kind && holdIds.has(t.pendingTransfer?.id ?? '')).length;
    return { holds: holds.length, posts: of('POST'), voids: of('VOID'), returns: all.filter((t) => t.kind === 'SINGLE' && mine(t)).map((t) => BigInt(t.amount.minorUnits)).reverse() };
  }

  /** Polls a balance until it is `posted` (available equal: no hold left), at most `ms`. */
  async function balanceBecomes(accountId: string, posted: bigint, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    let b = await w.balance(accountId);
    while ((b.posted !== posted || b.available !== posted) && Date.now() < deadline) {
      await sleep(100);
      b = await w.balance(accountId);
    }
    assert.deepEqual(b, { posted, available: posted });
  }

  /** The history is one path: from CREATED, each move from where the last one went, these events once each. */
  function onePath(o: Order, events: string[]): void {
    assert.deepEqual(o.history.map((h) => h.event), events, `history of ${o.id}: ${JSON.stringify(o.history)}`);
    o.history.forEach((h, i) => assert.equal(h.from, i === 0 ? 'CREATED' : o.history[i - 1]!.to));
  }

  it('the bank times out: a swallowed first submit is retried under the same id and settles once; a bank that never answers fails RAIL_TIMEOUT and the hold is voided', async () => {
    const { payer, payee, key } = await parties();
    const late = await w.ok(PayPixDocument, payInput(payer, key, 3_000n, 'late ack [sandbox:timeout]'), payer.customer.identity);
    const silent = await w.ok(PayPixDocument, payInput(payer, key, 7_000n, 'nobody home [sandbox:silent]'), payer.customer.identity);

    const settled = await final(late.payPix.id);
    assert.equal(settled.state, 'SETTLED');
    onePath(settled, SETTLED_PATH);
    const failed = await final(silent.payPix.id);
    assert.equal(failed.state, 'FAILED');
    assert.equal(failed.failureReason, 'RAIL_TIMEOUT');
    onePath(failed, ['APPROVE', 'HOLD_PLACED', 'FAIL']);

    assert.deepEqual(await movementsOf(payer, settled.id), { holds: 1, posts: 1, voids: 0, returns: [] });
    assert.deepEqual(await movementsOf(payer, failed.id), { holds: 1, posts: 0, voids: 1, returns: [] });
    await balanceBecomes(payer.account.id, FUND - 3_000n);
    await balanceBecomes(payee.account.id, 3_000n);

    // The same mutation again answers the failed order as it is; nothing moves.
    const again = await w.ok(PayPixDocument, payInput(payer, key, 7_000n, 'nobody home [sandbox:silent]', silent.payPix.id), payer.customer.identity);
    assert.equal(again.payPix.state, 'FAILED');
    assert.deepEqual(await movementsOf(payer, failed.id), { holds: 1, posts: 0, voids: 1, returns: [] });
    assert.deepEqual(await w.balance(payer.account.id), { posted: FUND - 3_000n, available: FUND - 3_000n });
  });

  it('the bank rejects after accepting (AC03) or refuses the submission (AB09): FAILED with the reason, the hold voided, the balance and the PIX limit unchanged', async () => {
    const { payer, payee, key } = await parties();
    // A limit the two failures together nearly use up: each gives its reservation back.
    for (const period of ['DAYTIME', 'NIGHTTIME']) await w.ok(SetPixLimitDocument, { input: { period, amount: '10000' } }, payer.customer.identity);
    const rejected = await w.ok(PayPixDocument, payInput(payer, key, 4_000n, 'closed account [sandbox:reject=AC03]'), payer.customer.identity);
    const refused = await w.ok(PayPixDocument, payInput(payer, key, 5_000n, 'refused [sandbox:refuse=AB09]'), payer.customer.identity);

    const r1 = await final(rejected.payPix.id);
    assert.equal(r1.state, 'FAILED');
    assert.equal(r1.failureReason, 'AC03');
    onePath(r1, ['APPROVE', 'HOLD_PLACED', 'SENT_TO_RAIL', 'FAIL']);
    const r2 = await final(refused.payPix.id);
    assert.equal(r2.state, 'FAILED');
    assert.equal(r2.failureReason, 'AB09');
    onePath(r2, ['APPROVE', 'HOLD_PLACED', 'FAIL']);

    for (const o of [r1, r2]) assert.deepEqual(await movementsOf(payer, o.id), { holds: 1, posts: 0, voids: 1, returns: [] });
    await balanceBecomes(payer.account.id, FUND);
    assert.deepEqual(await w.balance(payee.account.id), { posted: 0n, available: 0n });
    const whole = await w.ok(PayPixDocument, payInput(payer, key, 10_000n, 'the whole limit', uuidv7(), 8_000), payer.customer.identity);
    assert.equal((await final(whole.payPix.id)).state, 'SETTLED');
    await balanceBecomes(payer.account.id, FUND - 10_000n);
  });

  it('returns after settlement (a wire: the payee is at another bank): partial then the rest (RETURNED, one reversal each, the balance restored); a third return is refused and moves nothing; a bank-initiated return lands once', async () => {
    const { payer, payee, key } = await parties();
    // A new customer's wire scores REVIEW: the customer confirms with a passkey (a fresh step-up).
    const steppedUp = { ...payer.customer.identity, stepUpAt: Math.floor(Date.now() / 1000) };
    const wire = async (amount: bigint, remittance: string) => {
      const res = await w.request(FaultsSendWireDocument, { input: { id: uuidv7(), accountId: payer.account.id, amount: amount.toString(), beneficiary: { name: 'Erika Mustermann', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' }, remittance, waitMs: 8_000 } }, steppedUp);
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      return res.data!.sendWire.id;
    };
    const FEE = 2_500n; // WIRE_FEE_MINOR: its own ledger line, not returned with the principal
    const id = await wire(2_500n, 'to be returned');
    assert.equal((await final(id)).state, 'SETTLED');
    await balanceBecomes(payer.account.id, FUND - 2_500n - FEE);

    const part = await w.ok(SimulateRailReturnDocument, { orderId: id, amount: '1000', reason: 'MD06' }, w.operator);
    assert.equal(part.simulateRailReturn.state, 'PARTIALLY_RETURNED');
    assert.equal(part.simulateRailReturn.returnedAmount.minorUnits, '1000');
    await balanceBecomes(payer.account.id, FUND - 1_500n - FEE);
    const rest = await w.ok(SimulateRailReturnDocument, { orderId: id }, w.operator);
    assert.equal(rest.simulateRailReturn.state, 'RETURNED');
    assert.equal(rest.simulateRailReturn.returnedAmount.minorUnits, '2500');
    await balanceBecomes(payer.account.id, FUND - FEE);

    const third = await w.request(SimulateRailReturnDocument, { orderId: id }, w.operator);
    assert.equal(errorCode(third), 'CONFLICT', JSON.stringify(third.errors));
    assert.equal((errorDetails(third) as { reason?: string }).reason, 'ALREADY_RETURNED');
    const returned = await final(id);
    onePath(returned, [...SETTLED_PATH, 'RETURN', 'RETURN']);
    assert.deepEqual(returned.returns.map((r) => r.amount.minorUnits), ['1000', '1500']);
    assert.deepEqual((await movementsOf(payer, id)).returns, [1_000n, 1_500n]);
    assert.deepEqual(await w.balance(payer.account.id), { posted: FUND - FEE, available: FUND - FEE });

    // The receiving bank returns it by itself after settling ([sandbox:return=CODE]).
    const bouncedId = await wire(1_200n, 'bounce [sandbox:return=AC06]');
    const bounced = await orderWhen(bouncedId, (o) => o.state === 'RETURNED');
    assert.deepEqual(bounced.returns.map((r) => [r.amount.minorUnits, r.reason]), [['1200', 'AC06']]);
    onePath(bounced, [...SETTLED_PATH, 'RETURN']);
    assert.deepEqual((await movementsOf(payer, bouncedId)).returns, [1_200n]);
    await balanceBecomes(payer.account.id, FUND - 2n * FEE);

    // On-us (the payee is this platform's customer) nothing comes back by the rail, which would
    // credit the payer while the payee kept the money: the payee refunds (refundPix) instead.
    const pix = await w.ok(PayPixDocument, payInput(payer, key, 700n, 'on-us [sandbox:return=AC06]', uuidv7(), 8_000), payer.customer.identity);
    assert.equal((await final(pix.payPix.id)).state, 'SETTLED');
    const refused = await w.request(SimulateRailReturnDocument, { orderId: pix.payPix.id }, w.operator);
    assert.equal(errorCode(refused), 'CONFLICT', JSON.stringify(refused.errors));
    assert.equal((errorDetails(refused) as { reason?: string }).reason, 'ON_US_USE_REFUND');
    await sleep(500); // what a bank return would have taken (the sandbox's latency is 20 ms)
    assert.equal((await final(pix.payPix.id)).state, 'SETTLED');
    await balanceBecomes(payer.account.id, FUND - 2n * FEE - 700n);
    await balanceBecomes(payee.account.id, 700n);
  });

  it('payments is killed with orders in flight: after the restart every order settles exactly once, and repeating each mutation replays it', async (t) => {
    const { payer, payee, key } = await parties();
    const amounts = [1_100n, 1_200n, 1_300n, 1_400n, 1_500n, 1_600n];
    const inputs = amounts.map((amount, i) => payInput(payer, key, amount, `in flight ${i} [sandbox:delay=${i < 3 ? 2500 : 300}]`));
    // Three are at the bank (SENT) when payments dies, three are still being driven or not yet in.
    // Answered once stored (driven in the background); each is at the bank before the next goes.
    for (const input of inputs.slice(0, 3)) await orderWhen((await w.ok(PayPixDocument, input, payer.customer.identity)).payPix.id, (o) => o.state === 'SENT');
    const racing = inputs.slice(3).map((input) => w.request(PayPixDocument, input, payer.customer.identity));
    // Killed as soon as one of them is stored (mid-drive, most likely), or after a few seconds anyway.
    let seen: (string | undefined)[] = [];
    for (const deadline = Date.now() + 3_000; Date.now() < deadline && !seen.some(Boolean); ) {
      seen = await Promise.all(inputs.slice(3).map(async (i) => (await w.request(FaultsOrderStateDocument, { id: i.input.id }, w.operator)).data?.paymentOrder?.state));
    }
    await w.platform.killSubgraph('payments');
    const raced = await Promise.all(racing);
    await w.platform.restartSubgraph('payments');
    t.diagnostic(`states when killed: ${seen.join(', ')}; answers: ${raced.map((r) => errorCode(r) ?? r.data?.payPix.state).join(', ')}`);

    // The client repeats every mutation with its id until the gateway reaches payments again.
    const retried: string[] = [];
    for (const input of inputs) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await w.request(PayPixDocument, { input: { ...input.input, waitMs: 0 } }, payer.customer.identity);
        if (!res.errors) {
          assert.equal(res.data!.payPix.id, input.input.id);
          retried.push(res.data!.payPix.state);
          break;
        }
        assert.ok(['SUBGRAPH_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_FLIGHT'].includes(errorCode(res) ?? ''), JSON.stringify(res.errors));
        if (Date.now() > deadline) assert.fail(`payPix ${input.input.id} kept failing: ${JSON.stringify(res.errors)}`);
        await sleep(200);
      }
    }
    const sum = amounts.reduce((a, b) => a + b, 0n);
    for (const input of inputs) {
      const o = await final(input.input.id, 60_000);
      assert.equal(o.state, 'SETTLED', `order ${o.id}: ${JSON.stringify(o)}`);
      onePath(o, SETTLED_PATH);
      assert.deepEqual(await movementsOf(payer, o.id), { holds: 1, posts: 1, voids: 0, returns: [] });
    }
    await balanceBecomes(payer.account.id, FUND - sum);
    await balanceBecomes(payee.account.id, sum);
    // The payee was credited once per payment.
    const credits = (await transfersOf(payee.account.ledgerAccountId)).filter((t) => t.kind === 'SINGLE');
    assert.equal(credits.length, amounts.length);
    assert.equal(new Set(credits.map((t) => (t.metadata as { endToEndId?: string }).endToEndId)).size, amounts.length);

    // Repeating every mutation once more replays the settled orders: nothing moves.
    for (const input of inputs) assert.equal((await w.ok(PayPixDocument, input, payer.customer.identity)).payPix.state, 'SETTLED');
    assert.deepEqual(await w.balance(payer.account.id), { posted: FUND - sum, available: FUND - sum });
    assert.deepEqual(await w.balance(payee.account.id), { posted: sum, available: sum });
    assert.deepEqual(w.platform.exits, [], 'no subgraph process ended on its own');
  });
});
