import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreatePixChargeDocument,
  MedCasesDocument,
  PaymentOrdersDocument,
  PayPixDocument,
  PixChargeDocument,
  RefundPixDocument,
  RegisterPixKeyDocument,
  ReportPixFraudDocument,
  ResolveMedCaseDocument,
} from '@baas/sdk';
import { errorCode, type Customer, type OpenedAccount } from '../risk/risk-world';
import { clearingAccountId, startPaymentsWorld, type Balance, type PaymentsWorld } from './payments-world';

/**
 * The PIX journeys through the gateway with the typed SDK (issue 13): a customer of one tenant pays
 * a customer of another by key and by a charge's dynamic QR code, the receiver refunds, the payer
 * reports fraud (MED). At every step the operator's account read and the ledger agree (posted is
 * the sum of the movements, available is posted less the holds), and no money is created: the two
 * customers together hold what the sandbox funded, and the PIX clearing account is back at zero.
 */
describe('payments journey: PIX between two tenants', { timeout: 90_000 }, () => {
  const FUNDED = 1_000_000n;
  let w: PaymentsWorld;
  let alice: Customer;
  let bob: Customer;
  let aAcc: OpenedAccount;
  let bAcc: OpenedAccount;
  let key: string;
  let firstPix: { out: string; in: string };
  const a: Balance = { posted: 0n, available: 0n };
  const b: Balance = { posted: FUNDED, available: FUNDED };

  /** Both accounts as the model says; the customers hold what was funded; the PIX clearing account nets to zero. */
  const everythingAgrees = async () => {
    const [la, lb] = [await w.agree(aAcc, a), await w.agree(bAcc, b)];
    assert.equal(la.posted + lb.posted, FUNDED, 'no money created or lost between the two customers');
    const clearing = await w.ledger(clearingAccountId('PIX', 'BRL'));
    assert.equal(clearing.posted, 0n, 'the PIX clearing account nets to zero once every payment arrived');
    assert.equal(clearing.movements, clearing.posted);
  };
  const move = (amount: bigint) => {
    b.posted -= amount;
    b.available -= amount;
    a.posted += amount;
    a.available += amount;
  };
  /** B pays A by key; returns B's order and A's order of the same payment. */
  const pixByKey = async (amount: bigint) => {
    const paid = await w.ok(PayPixDocument, { input: { id: w.id(), accountId: bAcc.id, key, amount: amount.toString(), description: 'journey', waitMs: 8000 } }, bob.identity);
    assert.equal(paid.payPix.state, 'SETTLED', JSON.stringify(paid.payPix));
    assert.equal(paid.payPix.direction, 'OUT');
    return { out: paid.payPix.id, in: await receivedOf(paid.payPix.endToEndId!) };
  };
  /** A's order of the payment with this EndToEndId (the incoming side, written when the SPI delivers it). */
  const receivedOf = async (endToEndId: string) => {
    const page = await w.until(
      `A's received order ${endToEndId}`,
      () => w.ok(PaymentOrdersDocument, { accountId: aAcc.id, first: 15 }, alice.identity),
      (p) => p.paymentOrders.items.some((o) => o.endToEndId === endToEndId && o.direction === 'IN'),
    );
    const received = page.paymentOrders.items.find((o) => o.endToEndId === endToEndId && o.direction === 'IN')!;
    assert.equal(received.state, 'SETTLED');
    return received.id;
  };

  before(async () => {
    w = await startPaymentsWorld();
    const [t1, t2] = [await w.newTenant(), await w.newTenant()];
    alice = await w.newCustomer(t1);
    bob = await w.newCustomer(t2);
    aAcc = await w.openAccount(alice);
    bAcc = await w.openAccount(bob, FUNDED);
  });
  after(async () => {
    await w?.stop();
  });

  it('1. A registers an EVP key; B (another tenant) pays it: SETTLED, the money moves', async () => {
    const registered = await w.ok(RegisterPixKeyDocument, { input: { id: w.id(), accountId: aAcc.id, keyType: 'EVP' } }, alice.identity);
    assert.equal(registered.registerPixKey.status, 'ACTIVE');
    key = registered.registerPixKey.key;
    const input = { id: w.id(), accountId: bAcc.id, key, amount: '30000', description: 'first', waitMs: 8000 };
    const paid = await w.ok(PayPixDocument, { input }, bob.identity);
    assert.equal(paid.payPix.state, 'SETTLED', JSON.stringify(paid.payPix));
    firstPix = { out: paid.payPix.id, in: await receivedOf(paid.payPix.endToEndId!) };
    move(30_000n);
    await everythingAgrees();
    // The same request again (its id is the idempotency key) answers the same order and moves nothing.
    const replay = await w.ok(PayPixDocument, { input }, bob.identity);
    assert.deepEqual([replay.payPix.id, replay.payPix.state, replay.payPix.endToEndId], [paid.payPix.id, 'SETTLED', paid.payPix.endToEndId]);
    await everythingAgrees();
    const ledgerA = await w.ledger(aAcc.ledgerAccountId);
    assert.deepEqual(ledgerA.entries.map((e) => [e.amount, e.code]), [[30_000n, 21]], 'one PAYMENT_IN line at A');
  });

  it('1b. the SPI\'s settlement overtakes its acceptance ([sandbox:early]): the PIX is SENT, then SETTLED at once, not left for the inquiry', async () => {
    // The bank publishes the settlement and answers the submit 500 ms later; the order is still
    // PENDING when the event is applied. Dropping it (as before) left the order SENT until the
    // inquiry 10 s later, past this wait; a refund's or MED return's record then never came.
    const paid = await w.ok(PayPixDocument, { input: { id: w.id(), accountId: bAcc.id, key, amount: '1500', description: 'early [sandbox:early]', waitMs: 8000 } }, bob.identity);
    assert.equal(paid.payPix.state, 'SETTLED', JSON.stringify(paid.payPix));
    const order = await w.order(paid.payPix.id, bob.identity);
    assert.deepEqual(order.history.map((h) => h.to).slice(-3), ['PENDING', 'SENT', 'SETTLED']);
    await receivedOf(paid.payPix.endToEndId!);
    move(1_500n);
    await everythingAgrees();
  });

  it('2. A creates a dynamic charge (cob); B pays its BR Code: SETTLED, the charge CONCLUIDA', async () => {
    const created = await w.ok(CreatePixChargeDocument, { input: { id: w.id(), kind: 'COB', accountId: aAcc.id, amount: '12345', description: 'order 42' } }, alice.identity);
    const charge = created.createPixCharge;
    assert.equal(charge.status, 'ATIVA');
    assert.equal(charge.amountDue.minorUnits, '12345');
    const paid = await w.ok(PayPixDocument, { input: { id: w.id(), accountId: bAcc.id, brCode: charge.brCode, waitMs: 8000 } }, bob.identity);
    assert.equal(paid.payPix.state, 'SETTLED', JSON.stringify(paid.payPix));
    assert.equal(paid.payPix.amount.minorUnits, '12345', 'the amount due, read from the charge');
    assert.equal(paid.payPix.chargeTxid, charge.txid);
    const received = await receivedOf(paid.payPix.endToEndId!);
    const read = await w.until('the charge to conclude', () => w.ok(PixChargeDocument, { txid: charge.txid }, alice.identity), (c) => c.pixCharge?.status === 'CONCLUIDA');
    assert.equal(read.pixCharge!.paidOrderId, received);
    assert.equal(read.pixCharge!.amountDue.minorUnits, '12345');
    move(12_345n);
    await everythingAgrees();
    // A concluded charge is not paid twice.
    const again = await w.request(PayPixDocument, { input: { id: w.id(), accountId: bAcc.id, brCode: charge.brCode, waitMs: 8000 } }, bob.identity);
    assert.equal(errorCode(again), 'CONFLICT');
    await everythingAgrees();
  });

  it('3. A refunds part of the first PIX twice; a third refund over the remainder is refused and writes nothing', async () => {
    for (const amount of [10_000n, 15_000n]) {
      const refund = await w.ok(RefundPixDocument, { input: { id: w.id(), orderId: firstPix.in, amount: amount.toString(), reason: 'MD06', waitMs: 8000 } }, alice.identity);
      assert.equal(refund.refundPix.state, 'SETTLED', JSON.stringify(refund.refundPix));
      assert.equal(refund.refundPix.kind, 'REFUND');
      assert.equal(refund.refundPix.returnOf?.id, firstPix.in);
      move(-amount);
      await everythingAgrees();
    }
    const before = (await w.ok(PaymentOrdersDocument, { accountId: aAcc.id, first: 15 }, alice.identity)).paymentOrders.items.length;
    const over = await w.request(RefundPixDocument, { input: { id: w.id(), orderId: firstPix.in, amount: '5001', waitMs: 8000 } }, alice.identity);
    assert.equal(errorCode(over), 'BAD_USER_INPUT');
    assert.deepEqual([over.errors?.[0]?.extensions?.details], [{ field: 'amount', reason: 'REFUND_EXCEEDS_ORIGINAL', remaining: '5000' }]);
    const afterRefusal = (await w.ok(PaymentOrdersDocument, { accountId: aAcc.id, first: 15 }, alice.identity)).paymentOrders.items.length;
    assert.equal(afterRefusal, before, 'no order written');
    await everythingAgrees();
    // Both sides record the returns: the payer's payment and the receiver's.
    const out = await w.orderIn(firstPix.out, bob.identity, 'PARTIALLY_RETURNED');
    assert.equal(out.returnedAmount.minorUnits, '25000');
    assert.equal(out.returns.length, 2);
    const received = await w.orderIn(firstPix.in, alice.identity, 'PARTIALLY_RETURNED');
    assert.equal(received.returnedAmount.minorUnits, '25000');
  });

  it('3b. a refund settled whose record on the payment was not yet written (a crash between the two) is finished by recovery', async () => {
    const pix = await pixByKey(9_000n);
    move(9_000n);
    const columns = 'state, returned_amount, returns, history';
    const [before] = (await w.sql(`SELECT ${columns} FROM payments.payment_order WHERE id = $1`, [pix.in])).rows as Record<string, unknown>[];
    const refund = await w.ok(RefundPixDocument, { input: { id: w.id(), orderId: pix.in, amount: '4000', waitMs: 8000 } }, alice.identity);
    assert.equal(refund.refundPix.state, 'SETTLED', JSON.stringify(refund.refundPix));
    move(-4_000n);
    assert.equal((await w.orderIn(pix.in, alice.identity, 'PARTIALLY_RETURNED')).returnedAmount.minorUnits, '4000');
    // The crash: the payment as it was before the refund, the refund still due for a look.
    const undone = await w.sql(
      `UPDATE payments.payment_order SET state = $2, returned_amount = $3, returns = $4::jsonb, history = $5::jsonb, version = version + 1 WHERE id = $1`,
      [pix.in, before!.state, before!.returned_amount, JSON.stringify(before!.returns), JSON.stringify(before!.history)],
    );
    assert.equal(undone.rowCount, 1);
    await w.sql(`UPDATE payments.payment_order SET next_attempt_at = now(), version = version + 1 WHERE id = $1`, [refund.refundPix.id]);
    const received = await w.orderIn(pix.in, alice.identity, 'PARTIALLY_RETURNED');
    assert.equal(received.returnedAmount.minorUnits, '4000');
    assert.deepEqual(received.returns.map((r) => r.amount.minorUnits), ['4000'], 'recorded once');
    await w.until('the refund to need no further look', () => w.sql(`SELECT next_attempt_at FROM payments.payment_order WHERE id = $1`, [refund.refundPix.id]), (r) => r.rows[0]?.next_attempt_at === null);
    await everythingAgrees();
  });

  it('4a. MED: B reports a PIX as fraud; A\'s funds are blocked (available drops, posted not); accepted, they go back to B', async () => {
    const pix = await pixByKey(20_000n);
    move(20_000n);
    await everythingAgrees();
    const caseId = w.id();
    const reported = await w.ok(ReportPixFraudDocument, { id: caseId, orderId: pix.out, reason: 'I did not make this payment' }, bob.identity);
    assert.equal(reported.reportPixFraud.status, 'OPEN');
    assert.equal(reported.reportPixFraud.blockedAmount.minorUnits, '20000');
    a.available -= 20_000n;
    await everythingAgrees();
    // An operator resolves it (mayResolveMedCase): accepted, the blocked funds return to the payer.
    const resolved = await w.ok(ResolveMedCaseDocument, { id: caseId, accept: true }, w.operator);
    assert.equal(resolved.resolveMedCase.status, 'ACCEPTED');
    a.posted -= 20_000n;
    b.posted += 20_000n;
    b.available += 20_000n;
    await everythingAgrees();
    const out = await w.orderIn(pix.out, bob.identity, 'RETURNED');
    assert.equal(out.returnedAmount.minorUnits, '20000');
    const received = await w.orderIn(pix.in, alice.identity, 'RETURNED');
    assert.equal(received.returnedAmount.minorUnits, '20000');
    const cases = await w.ok(MedCasesDocument, { accountId: bAcc.id }, bob.identity);
    assert.deepEqual(cases.medCases.map((c) => [c.id, c.status]), [[caseId, 'ACCEPTED']]);
  });

  it('4b. MED on a PIX already partly refunded blocks only what is left; accepted, the payment is fully returned', async () => {
    const caseId = w.id();
    const reported = await w.ok(ReportPixFraudDocument, { id: caseId, orderId: firstPix.out, reason: 'account takeover' }, bob.identity);
    assert.equal(reported.reportPixFraud.blockedAmount.minorUnits, '5000', 'the original less the two refunds');
    a.available -= 5_000n;
    await everythingAgrees();
    assert.equal((await w.ok(ResolveMedCaseDocument, { id: caseId, accept: true }, w.operator)).resolveMedCase.status, 'ACCEPTED');
    move(-5_000n);
    a.available += 5_000n;
    await everythingAgrees();
    assert.equal((await w.orderIn(firstPix.out, bob.identity, 'RETURNED')).returnedAmount.minorUnits, '30000');
    assert.equal((await w.orderIn(firstPix.in, alice.identity, 'RETURNED')).returnedAmount.minorUnits, '30000');
    const more = await w.request(RefundPixDocument, { input: { id: w.id(), orderId: firstPix.in, amount: '1' } }, alice.identity);
    assert.equal(errorCode(more), 'BAD_USER_INPUT', 'refunds and MED returns together never pass the original');
    await everythingAgrees();
  });

  it('4c. MED rejected: the block is released, nothing moves', async () => {
    const pix = await pixByKey(7_000n);
    move(7_000n);
    await everythingAgrees();
    const caseId = w.id();
    const reported = await w.ok(ReportPixFraudDocument, { id: caseId, orderId: pix.out, reason: 'not sure' }, bob.identity);
    assert.equal(reported.reportPixFraud.blockedAmount.minorUnits, '7000');
    a.available -= 7_000n;
    await everythingAgrees();
    const resolved = await w.ok(ResolveMedCaseDocument, { id: caseId, accept: false }, w.operator);
    assert.equal(resolved.resolveMedCase.status, 'REJECTED');
    a.available += 7_000n;
    await everythingAgrees();
    assert.equal((await w.order(pix.out, bob.identity)).state, 'SETTLED');
    // Resolved once: the other way is a conflict.
    const flip = await w.request(ResolveMedCaseDocument, { id: caseId, accept: true }, w.operator);
    assert.equal(errorCode(flip), 'CONFLICT');
    await everythingAgrees();
  });

  it('5. a scheduled PIX waits (nothing held) and goes at its time', async () => {
    const at = new Date(Date.now() + 2_000);
    const paid = await w.ok(PayPixDocument, { input: { id: w.id(), accountId: bAcc.id, key, amount: '3000', description: 'scheduled', scheduledFor: at.toISOString() } }, bob.identity);
    assert.equal(paid.payPix.state, 'SCHEDULED');
    assert.equal(paid.payPix.scheduledFor, at.toISOString());
    await everythingAgrees(); // nothing held while it waits
    const settled = await w.orderIn(paid.payPix.id, bob.identity, 'SETTLED');
    assert.ok(new Date(settled.settledAt!).getTime() >= at.getTime(), 'not before its time');
    assert.deepEqual(settled.history.map((h) => h.to), ['SCHEDULED', 'CREATED', 'APPROVED', 'PENDING', 'SENT', 'SETTLED']);
    move(3_000n);
    await everythingAgrees();
  });
});
