import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { CreatePixChargeDocument, PayPixDocument, RegisterPixKeyDocument, ReportPixFraudDocument, type GraphQLResponse } from '@baas/sdk';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startRiskWorld, type Customer, type OpenedAccount, type RiskWorld, type Tenant } from '../risk/risk-world';

/**
 * The payments API as an attacker calls it (issue 13): another customer of the same tenant, a
 * customer of another tenant, and another tenant's API client try every payments query and mutation
 * on A1's account, keys, charges, orders and limits. Each is refused with FORBIDDEN (or NOT_FOUND,
 * UNAUTHENTICATED), carries no data, and writes nothing: A1's balance and order list stay as they
 * were. A MED case is resolved by the receiving side only, never by the tenant that reported it.
 */

const doc = <T = Record<string, unknown>>(text: string) => parse(text) as TypedDocumentNode<T, Record<string, unknown>>;

const B_ISPB = '00000000';
const IBAN = 'DE89370400440532013000';

describe('payments: one customer or tenant never reads or moves another one', { timeout: 180_000 }, () => {
  let w: RiskWorld;
  let ta: Tenant;
  let tb: Tenant;
  let a1: Customer;
  let a2: Customer;
  let b1: Customer;
  let a1Acc: OpenedAccount;
  let b1Acc: OpenedAccount;
  let a1Key: { id: string; key: string };
  let a1Txid: string;
  let received: string; // the PIX A1 received from B1 (A1's IN order)
  let sent: string; // the same PIX as B1 sent it (B1's OUT order)
  let tbClient: Identity;

  before(async () => {
    w = await startRiskWorld();
    ta = await w.newTenant();
    tb = await w.newTenant();
    a1 = await w.newCustomer(ta);
    a2 = await w.newCustomer(ta);
    b1 = await w.newCustomer(tb);
    a1Acc = await w.openAccount(a1, 50_000n);
    await w.openAccount(a2, 50_000n);
    b1Acc = await w.openAccount(b1, 50_000n);
    const key = await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: a1Acc.id, keyType: 'EVP' } }, a1.identity);
    a1Key = { id: key.registerPixKey.id, key: key.registerPixKey.key };
    const charge = await w.ok(CreatePixChargeDocument, { input: { id: uuidv7(), kind: 'cob', accountId: a1Acc.id, amount: '1500' } }, a1.identity);
    a1Txid = charge.createPixCharge.txid;
    const paid = await w.ok(PayPixDocument, { input: { id: uuidv7(), accountId: b1Acc.id, key: a1Key.key, amount: '2000', waitMs: 8000 } }, b1.identity);
    assert.equal(paid.payPix.state, 'SETTLED');
    sent = paid.payPix.id;
    const list = await w.ok(doc<{ paymentOrders: { items: { id: string; direction: string }[] } }>(`query P($a: ID!) { paymentOrders(accountId: $a) { items { id direction } } }`), { a: a1Acc.id }, a1.identity);
    received = list.paymentOrders.items.find((o) => o.direction === 'IN')!.id;
    assert.ok(received, 'A1 sees the PIX it received');
    tbClient = { subject: uuidv7(), kind: 'api_client', tenantId: tb.id, scopes: ['payments:write', 'payments:read', 'accounts:read', 'accounts:write', 'sandbox:fund', 'customers:read'] };
  });
  after(async () => {
    await w?.stop();
  });

  /** Refused (or, with `hiddenAsNull`, answered as if absent: null, the same as an unknown id) and nothing leaked. */
  const denied = (res: GraphQLResponse<unknown>, what: string, hiddenAsNull = false) => {
    const codes = (res.errors ?? []).map((e) => String(e.extensions?.code));
    if (!hiddenAsNull) assert.ok(codes.length > 0, `${what}: expected a refusal, got ${JSON.stringify(res.data)}`);
    for (const c of codes) assert.ok(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED'].includes(c), `${what}: got ${c} ${JSON.stringify(res.errors)}`);
    const data = res.data as Record<string, unknown> | null | undefined;
    for (const [field, value] of Object.entries(data ?? {})) assert.ok(value === null || (Array.isArray(value) && value.length === 0), `LEAK ${what}: ${field}=${JSON.stringify(value)}`);
  };

  /** What A1 has: balance and orders; every attack below must leave it as it is. */
  const a1State = async () => {
    const orders = await w.ok(doc<{ paymentOrders: { items: { id: string; state: string }[] } }>(`query P($a: ID!) { paymentOrders(accountId: $a, first: 100) { items { id state } } }`), { a: a1Acc.id }, a1.identity);
    const keys = await w.ok(doc<{ pixKeys: { id: string; status: string }[] }>(`query K($a: ID!) { pixKeys(accountId: $a) { id status } }`), { a: a1Acc.id }, a1.identity);
    return { balance: await w.balance(a1Acc.id), orders: orders.paymentOrders.items, keys: keys.pixKeys };
  };

  const attackers = () => [
    { who: 'A2 (same tenant)', as: a2.identity },
    { who: 'B1 (other tenant)', as: b1.identity },
    { who: "tenant B's client", as: tbClient },
  ];

  it('reads of A1 payments data are refused for everyone else', async () => {
    const reads: [string, string, Record<string, unknown>][] = [
      ['paymentOrder', `query Q($id: ID!) { paymentOrder(id: $id) { id amount { minorUnits } counterparty { name } } }`, { id: received }],
      ['paymentOrders', `query Q($a: ID!) { paymentOrders(accountId: $a) { items { id } } }`, { a: a1Acc.id }],
      ['pixKeys', `query Q($a: ID!) { pixKeys(accountId: $a) { id key } }`, { a: a1Acc.id }],
      ['pixKeyClaims', `query Q($a: ID!) { pixKeyClaims(accountId: $a) { id } }`, { a: a1Acc.id }],
      ['medCases', `query Q($a: ID!) { medCases(accountId: $a) { id } }`, { a: a1Acc.id }],
      ['pixCharge', `query Q($t: String!) { pixCharge(txid: $t) { txid amountDue { minorUnits } brCode } }`, { t: a1Txid }],
      ['pixLimits', `query Q($c: ID) { pixLimits(customerId: $c) { customerId } }`, { c: a1.id }],
      ['pixKeyLookup with A1 as payer', `query Q($k: String!, $a: ID!) { pixKeyLookup(key: $k, payerAccountId: $a) { keyMasked } }`, { k: a1Key.key, a: a1Acc.id }],
    ];
    for (const { who, as } of attackers()) {
      for (const [what, text, vars] of reads) denied(await w.request(doc(text), vars, as), `${who}: ${what}`, what === 'pixCharge');
    }
    for (const [what, text, vars] of reads) denied(await w.request(doc(text), vars, null), `anonymous: ${what}`);
    // A charge is found by its txid alone: another caller's reads null, as an unknown txid does.
    denied(await w.request(doc(`query Q($t: String!) { pixCharge(txid: $t) { txid } }`), { t: 'X'.repeat(30) }, b1.identity), 'an unknown txid', true);
  });

  it('no one else moves A1 money, keys, charges, orders or limits; nothing is written', async () => {
    const before = await a1State();
    const attempts: [string, string, () => Record<string, unknown>][] = [
      ['payPix from A1', `mutation M($input: PayPixInput!) { payPix(input: $input) { id } }`, () => ({ input: { id: uuidv7(), accountId: a1Acc.id, key: a1Key.key, amount: '100' } })],
      ['payTed from A1', `mutation M($input: PayTedInput!) { payTed(input: $input) { id } }`, () => ({ input: { id: uuidv7(), accountId: a1Acc.id, amount: '100', payee: { ispb: B_ISPB, branch: '0001', account: '123456', name: 'X', document: '52998224725' } } })],
      ['sendWire from A1', `mutation M($input: SendWireInput!) { sendWire(input: $input) { id } }`, () => ({ input: { id: uuidv7(), accountId: a1Acc.id, amount: '100', beneficiary: { name: 'X', iban: IBAN, bic: 'COBADEFFXXX' } } })],
      ['payBoleto from A1', `mutation M($input: PayBoletoInput!) { payBoleto(input: $input) { id } }`, () => ({ input: { id: uuidv7(), accountId: a1Acc.id, line: '00190500954014481606906809350314337370000000100' } })],
      ['refundPix of A1 received PIX', `mutation M($input: RefundPixInput!) { refundPix(input: $input) { id } }`, () => ({ input: { id: uuidv7(), orderId: received, amount: '100' } })],
      ['cancelPaymentOrder of A1', `mutation M($id: ID!) { cancelPaymentOrder(id: $id) { id } }`, () => ({ id: received })],
      ['registerPixKey on A1', `mutation M($input: RegisterPixKeyInput!) { registerPixKey(input: $input) { id } }`, () => ({ input: { id: uuidv7(), accountId: a1Acc.id, keyType: 'EVP' } })],
      ['deletePixKey of A1', `mutation M($id: ID!) { deletePixKey(id: $id) { id } }`, () => ({ id: a1Key.id })],
      ['createPixCharge on A1', `mutation M($input: CreatePixChargeInput!) { createPixCharge(input: $input) { txid } }`, () => ({ input: { id: uuidv7(), kind: 'cob', accountId: a1Acc.id, amount: '100' } })],
      ['cancelPixCharge of A1', `mutation M($t: String!) { cancelPixCharge(txid: $t) { txid } }`, () => ({ t: a1Txid })],
      ['setPixLimit of A1', `mutation M($input: SetPixLimitInput!) { setPixLimit(input: $input) { customerId } }`, () => ({ input: { customerId: a1.id, period: 'DAYTIME', amount: '1' } })],
      ['reportPixFraud on A1 received PIX', `mutation M($id: ID!, $o: ID!) { reportPixFraud(id: $id, orderId: $o, reason: \"x\") { id } }`, () => ({ id: uuidv7(), o: received })],
    ];
    for (const { who, as } of attackers()) {
      for (const [what, text, vars] of attempts) denied(await w.request(doc(text), vars(), as), `${who}: ${what}`);
    }
    // Sandbox mutations: another tenant's client may not drive A1's account.
    denied(await w.request(doc(`mutation M($input: SimulateIncomingPixInput!) { simulateIncomingPix(input: $input) { id } }`), { input: { accountId: a1Acc.id, amount: '100' } }, tbClient), "tenant B's client: simulateIncomingPix into A1");
    denied(await w.request(doc(`mutation M($o: ID!) { simulateRailReturn(orderId: $o) { id } }`), { o: received }, tbClient), "tenant B's client: simulateRailReturn of A1's order");
    assert.deepEqual(await a1State(), before);
  });

  it('a MED case is resolved by the receiving side: the reporting tenant cannot take the funds back itself', async () => {
    const reported = await w.ok(ReportPixFraudDocument, { id: uuidv7(), orderId: sent, reason: 'scam' }, b1.identity);
    const caseId = reported.reportPixFraud.id;
    assert.equal(reported.reportPixFraud.blockedAmount.minorUnits, '2000');
    const blocked = await w.balance(a1Acc.id);
    const resolve = doc(`mutation R($id: ID!, $accept: Boolean!) { resolveMedCase(id: $id, accept: $accept) { id status } }`);
    denied(await w.request(resolve, { id: caseId, accept: true }, tbClient), "the reporter's tenant client accepts its own report");
    denied(await w.request(resolve, { id: caseId, accept: true }, b1.identity), 'the reporter accepts its own report');
    denied(await w.request(resolve, { id: caseId, accept: true }, a1.identity), 'the receiving customer');
    assert.deepEqual(await w.balance(a1Acc.id), blocked, 'nothing moved');
    // The receiving tenant (sandbox) rejects it: the block is released.
    const taClient: Identity = { ...ta.client, scopes: [...ta.client.scopes, 'payments:write'] };
    const rejected = await w.ok(resolve, { id: caseId, accept: false }, taClient);
    assert.deepEqual(rejected, { resolveMedCase: { id: caseId, status: 'REJECTED' } });
    for (let i = 0; i < 50 && (await w.balance(a1Acc.id)).available !== blocked.posted; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await w.balance(a1Acc.id), { posted: blocked.posted, available: blocked.posted });
  });
});
