import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import {
  CreatePixChargeDocument,
  FaultsLedgerTransfersDocument,
  FaultsOrderIdsDocument,
  FaultsParseBrCodeDocument,
  FaultsSendWireDocument,
  PaymentOrderDocument,
  PaymentOrdersDocument,
  PayPixDocument,
  PixChargeDocument,
  PixKeysDocument,
  RegisterPixKeyDocument,
  type GraphQLResponse,
} from '@baas/sdk';
import { buildStaticBrCode } from '../../subgraphs/payments/src/domain/pix-brcode';
import { errorCode, startRiskWorld, type Customer, type OpenedAccount, type RiskWorld, type Tenant } from '../risk/risk-world';

/*
 * Issue 13, "Done when" 3: bad input to the payments subgraph through the gateway. Each refusal is
 * a coded error (extensions.code, and extensions.details.reason and .field where the platform gives
 * them) that writes nothing: no payment order, PIX key or charge under the request's id (the id
 * stays free: a good request with it is created afresh), no ledger movement, balances unchanged.
 */

const FUND = 1_000_000n;
/** The PIX limit per period of every customer on this platform (daytime and night-time alike). */
const PIX_LIMIT = 50_000n;

type Refusal = { code: string; reason?: string; field?: string };

describe('payments bad input', { timeout: 180_000 }, () => {
  let w: RiskWorld;
  let tenant: Tenant;
  let alice: Customer;
  let bob: Customer;
  let aliceAcc: OpenedAccount;
  let bobAcc: OpenedAccount;
  let bobKey: string;
  before(async () => {
    w = await startRiskWorld({ env: { PIX_DEFAULT_DAYTIME_LIMIT: String(PIX_LIMIT), PIX_DEFAULT_NIGHTTIME_LIMIT: String(PIX_LIMIT) } });
    tenant = await w.newTenant();
    alice = await w.newCustomer(tenant);
    bob = await w.newCustomer(tenant);
    aliceAcc = await w.openAccount(alice, FUND);
    bobAcc = await w.openAccount(bob, FUND);
    bobKey = (await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: bobAcc.id, keyType: 'EVP' } }, bob.identity)).registerPixKey.key;
  });
  after(async () => {
    await w?.stop();
  });

  /** The response is the refusal, with no data and without `secret` (a key or document) anywhere in the error. */
  function refused(res: GraphQLResponse<unknown>, want: Refusal, secret?: string): void {
    const what = JSON.stringify(res.errors);
    assert.equal(errorCode(res), want.code, what);
    const details = (res.errors?.[0]?.extensions?.details ?? {}) as { reason?: string; field?: string };
    if (want.reason) assert.equal(details.reason, want.reason, what);
    if (want.field) assert.equal(details.field, want.field, what);
    assert.equal(res.data ?? null, null, what);
    if (secret) assert.ok(!what.includes(secret), `the error repeats the input: ${what}`);
  }

  /** What an account holds: its orders, its ledger movements, its balance (compared before and after refusals). */
  async function holdings(account: OpenedAccount) {
    const orders = (await w.ok(FaultsOrderIdsDocument, { accountId: account.id, first: 100 }, w.operator)).paymentOrders.items.map((o) => `${o.id}:${o.state}`);
    const moves = (await w.ok(FaultsLedgerTransfersDocument, { id: account.ledgerAccountId, first: 100 }, w.operator)).ledgerAccount!.transfers.edges.map((e) => e.node.id);
    return { orders, moves, balance: await w.balance(account.id) };
  }

  const pay = (input: { id?: string; accountId?: string; key?: string; brCode?: string; amount?: unknown }, as = alice) =>
    w.request(PayPixDocument, { input: { id: input.id ?? uuidv7(), accountId: input.accountId ?? aliceAcc.id, ...(input.key !== undefined ? { key: input.key } : {}), ...(input.brCode !== undefined ? { brCode: input.brCode } : {}), ...(input.amount !== undefined ? { amount: input.amount as string } : {}), waitMs: 8000 } }, as.identity);

  it('malformed PIX keys (CPF, e-mail, phone, EVP, none of them) are INVALID_PIX_KEY to pay and to register, and nothing is written', async () => {
    const start = await holdings(aliceAcc);
    assert.deepEqual(start.orders, []);
    assert.deepEqual(start.balance, { posted: FUND, available: FUND });
    const ids: string[] = [];
    const bad = ['123.456.789-00', '11111111111', 'alice@@example.com', 'bob@example', '+55 11 123', '+1 555 0100 2000', '12345678-1234-1234-1234-123456789012', 'f81d4fae-7dec-11d0-a765', 'not a key'];
    for (const key of bad) {
      const id = uuidv7();
      ids.push(id);
      refused(await pay({ id, key, amount: '100' }), { code: 'BAD_USER_INPUT', reason: 'INVALID_PIX_KEY', field: 'key' }, key);
    }
    for (const [keyType, key] of [['CPF', '123.456.789-00'], ['CPF', '00000000000'], ['EMAIL', 'no-at-sign.example.com'], ['PHONE', '12345'], ['PHONE', '+55 11 9123-45'], ['CNPJ', '12.345.678/0001-00']] as const) {
      refused(await w.request(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: aliceAcc.id, keyType, key, ...(keyType === 'CNPJ' ? { holderKind: 'COMPANY' } : {}) } }, alice.identity), { code: 'BAD_USER_INPUT', reason: 'INVALID_PIX_KEY', field: 'key' }, key);
    }
    refused(await w.request(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: aliceAcc.id, keyType: 'EVP', key: 'f81d4fae-7dec-41d0-a765-00a0c91e6bf6' } }, alice.identity), { code: 'BAD_USER_INPUT', reason: 'EVP_IS_GENERATED', field: 'key' });
    // A well-formed key nobody holds: NOT_FOUND, nothing written either.
    refused(await pay({ key: 'f81d4fae-7dec-41d0-a765-00a0c91e6bf6', amount: '100' }), { code: 'NOT_FOUND', reason: 'PIX_KEY_NOT_FOUND', field: 'key' });
    assert.deepEqual((await w.ok(PixKeysDocument, { accountId: aliceAcc.id }, alice.identity)).pixKeys, []);
    assert.deepEqual(await holdings(aliceAcc), start);
    // The refused ids were never stored: a good payment under one of them is created now.
    const good = await pay({ id: ids[0]!, key: bobKey, amount: '100' });
    assert.equal(good.data?.payPix.state, 'SETTLED', JSON.stringify(good.errors));
    const back = await w.request(PayPixDocument, { input: { id: uuidv7(), accountId: bobAcc.id, key: (await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: aliceAcc.id, keyType: 'EVP' } }, alice.identity)).registerPixKey.key, amount: '100', waitMs: 8000 } }, bob.identity);
    assert.equal(back.data?.payPix.state, 'SETTLED', JSON.stringify(back.errors));
  });

  it('bad BR Codes: garbage is MALFORMED_BR_CODE, a wrong CRC is BAD_CRC (to read and to pay), an amount other than the code\'s is AMOUNT_MISMATCH', async () => {
    const start = await holdings(aliceAcc);
    const code = buildStaticBrCode({ key: bobKey, merchantName: 'BOB', merchantCity: 'SAO PAULO', amount: 1_234n });
    const last = code.at(-1)!;
    const wrongCrc = code.slice(0, -1) + (last === '0' ? '1' : '0');
    for (const payload of ['hello', '000201', code.slice(0, -4), `${code}00`]) {
      refused(await w.request(FaultsParseBrCodeDocument, { payload }, alice.identity), { code: 'BAD_USER_INPUT', reason: 'MALFORMED_BR_CODE' });
      refused(await pay({ brCode: payload }), { code: 'BAD_USER_INPUT', reason: 'MALFORMED_BR_CODE' });
    }
    refused(await w.request(FaultsParseBrCodeDocument, { payload: wrongCrc }, alice.identity), { code: 'BAD_USER_INPUT', reason: 'BAD_CRC' });
    refused(await pay({ brCode: wrongCrc }), { code: 'BAD_USER_INPUT', reason: 'BAD_CRC' });
    refused(await pay({ brCode: code, amount: '1235' }), { code: 'BAD_USER_INPUT', reason: 'AMOUNT_MISMATCH', field: 'amount' });
    refused(await pay({ brCode: code, key: bobKey }), { code: 'BAD_USER_INPUT' });
    // A charge's dynamic code with its CRC broken.
    await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: bobAcc.id, keyType: 'EVP' } }, bob.identity);
    const charge = (await w.ok(CreatePixChargeDocument, { input: { id: uuidv7(), kind: 'COB', accountId: bobAcc.id, amount: '990' } }, bob.identity)).createPixCharge;
    const dyn = charge.brCode;
    refused(await pay({ brCode: dyn.slice(0, -1) + (dyn.at(-1) === 'A' ? 'B' : 'A') }), { code: 'BAD_USER_INPUT', reason: 'BAD_CRC' });
    assert.equal((await w.ok(PixChargeDocument, { txid: charge.txid }, bob.identity)).pixCharge?.status, 'ATIVA');
    assert.equal((await w.ok(FaultsParseBrCodeDocument, { payload: code }, alice.identity)).parseBrCode.amount?.minorUnits, '1234');
    assert.deepEqual(await holdings(aliceAcc), start);
  });

  it('bad amounts (zero, negative, decimals, exponents, over 2^63 - 1, not a string) are BAD_USER_INPUT on amount', async () => {
    const start = await holdings(aliceAcc);
    for (const amount of ['0', '-5', '10.5', '1e3', ' 100', '0100', '', '9223372036854775808', 'NaN']) {
      refused(await pay({ key: bobKey, amount }), { code: 'BAD_USER_INPUT', field: 'amount' });
    }
    const float = await pay({ key: bobKey, amount: 10.5 });
    assert.ok(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes(errorCode(float) ?? ''), JSON.stringify(float.errors));
    refused(await pay({ key: bobKey }), { code: 'BAD_USER_INPUT', field: 'amount' });
    assert.deepEqual(await holdings(aliceAcc), start);
  });

  it('over the PIX limit: LIMIT_EXCEEDED (details.limit) and nothing written; the limit is left whole for a payment within it', async () => {
    const dave = await w.newCustomer(tenant);
    const daveAcc = await w.openAccount(dave, FUND);
    const start = await holdings(daveAcc);
    const id = uuidv7();
    const over = await pay({ id, accountId: daveAcc.id, key: bobKey, amount: String(PIX_LIMIT + 1n) }, dave);
    refused(over, { code: 'LIMIT_EXCEEDED' });
    assert.match(String((over.errors?.[0]?.extensions?.details as { limit?: string } | undefined)?.limit), /^PIX_(DAYTIME|NIGHTTIME)$/);
    assert.deepEqual(await holdings(daveAcc), start, 'no order, no ledger movement, the balance unchanged');
    // The refused id holds nothing: it may carry a payment within the limit, which goes.
    const within = await pay({ id, accountId: daveAcc.id, key: bobKey, amount: String(PIX_LIMIT) }, dave);
    assert.equal(within.data?.payPix.state, 'SETTLED', JSON.stringify(within.errors ?? within.data));
    // The limit is spent now: one more minor unit is refused the same way.
    refused(await pay({ accountId: daveAcc.id, key: bobKey, amount: '1' }, dave), { code: 'LIMIT_EXCEEDED' });
  });

  it('paying from someone else\'s account, or one that does not exist, is FORBIDDEN either way (no probing), and writes nothing', async () => {
    const carol = await w.newCustomer(await w.newTenant());
    const carolAcc = await w.openAccount(carol, FUND);
    const id = uuidv7();
    refused(await pay({ id, accountId: carolAcc.id, key: bobKey, amount: '100' }), { code: 'FORBIDDEN' });
    refused(await pay({ accountId: uuidv7(), key: bobKey, amount: '100' }), { code: 'FORBIDDEN' });
    refused(await pay({ accountId: 'not-a-uuid', key: bobKey, amount: '100' }), { code: 'BAD_USER_INPUT', field: 'accountId' });
    // A tenant's client without payments:write may not pay either; nobody at all is UNAUTHENTICATED.
    refused(await w.request(PayPixDocument, { input: { id: uuidv7(), accountId: carolAcc.id, key: bobKey, amount: '100' } }, tenant.client), { code: 'FORBIDDEN' });
    const anon = await w.request(PayPixDocument, { input: { id: uuidv7(), accountId: carolAcc.id, key: bobKey, amount: '100' } }, null);
    assert.ok(['UNAUTHENTICATED', 'FORBIDDEN'].includes(errorCode(anon) ?? ''), JSON.stringify(anon.errors));
    refused(await w.request(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: carolAcc.id, keyType: 'EVP' } }, alice.identity), { code: 'FORBIDDEN' });
    refused(await w.request(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: uuidv7(), keyType: 'EVP' } }, alice.identity), { code: 'FORBIDDEN' });
    refused(await w.request(CreatePixChargeDocument, { input: { id: uuidv7(), kind: 'COB', accountId: uuidv7(), amount: '500' } }, alice.identity), { code: 'FORBIDDEN' });
    assert.equal((await w.ok(PaymentOrderDocument, { id }, w.operator)).paymentOrder, null);
    assert.deepEqual((await w.ok(PaymentOrdersDocument, { accountId: carolAcc.id, first: 10 }, w.operator)).paymentOrders.items, []);
    assert.deepEqual((await w.ok(PixKeysDocument, { accountId: carolAcc.id }, carol.identity)).pixKeys, []);
    assert.deepEqual(await w.balance(carolAcc.id), { posted: FUND, available: FUND });
  });

  it('a wire to a bad IBAN or BIC is refused (BAD_IBAN, BAD_BIC) before any order exists', async () => {
    const wire = (iban: string, bic: string, id = uuidv7()) =>
      w.request(FaultsSendWireDocument, { input: { id, accountId: bobAcc.id, amount: '10000', beneficiary: { name: 'Hans Muster', iban, bic } } }, bob.identity);
    const start = await holdings(bobAcc);
    const id = uuidv7();
    for (const iban of ['DE89370400440532013001', 'DE00 0000 0000', 'XX89370400440532013000', '']) refused(await wire(iban, 'COBADEFFXXX', id), { code: 'BAD_USER_INPUT', reason: 'BAD_IBAN', field: 'beneficiary.iban' });
    for (const bic of ['COBA', 'COBADEFFXX', '1OBADEFF', 'COBA DE FF']) refused(await wire('DE89370400440532013000', bic, id), { code: 'BAD_USER_INPUT', reason: 'BAD_BIC', field: 'beneficiary.bic' });
    const zero = await w.request(FaultsSendWireDocument, { input: { id, accountId: bobAcc.id, amount: '0', beneficiary: { name: 'Hans Muster', iban: 'DE89370400440532013000', bic: 'COBADEFF' } } }, bob.identity);
    refused(zero, { code: 'BAD_USER_INPUT', field: 'amount' });
    assert.deepEqual(await holdings(bobAcc), start);
    assert.equal((await w.ok(PaymentOrderDocument, { id }, w.operator)).paymentOrder, null, 'no order under the refused id');
  });

  it('createPixCharge with a txid another charge holds is CONFLICT DUPLICATE_TXID and writes nothing; bad txids and amounts are BAD_USER_INPUT', async () => {
    const txid = `FAULTS${uuidv7().replaceAll('-', '').slice(0, 24)}`;
    const charge = (id: string, t: string, amount = '500') => w.request(CreatePixChargeDocument, { input: { id, kind: 'COB', accountId: bobAcc.id, amount, txid: t } }, bob.identity);
    assert.equal((await charge(uuidv7(), txid)).data?.createPixCharge.txid, txid);
    const id = uuidv7();
    refused(await charge(id, txid), { code: 'CONFLICT', reason: 'DUPLICATE_TXID', field: 'txid' });
    for (const bad of ['short', `${txid}-`, 'x'.repeat(36)]) refused(await charge(uuidv7(), bad), { code: 'BAD_USER_INPUT', reason: 'INVALID_TXID', field: 'txid' });
    for (const amount of ['0', '-1', '1.5']) refused(await charge(uuidv7(), `${txid.slice(0, -1)}Z`, amount), { code: 'BAD_USER_INPUT', field: 'amount' });
    refused(await w.request(CreatePixChargeDocument, { input: { id: uuidv7(), kind: 'COB', accountId: aliceAcc.id, amount: '500' } }, bob.identity), { code: 'FORBIDDEN' });
    // The refused id was never stored: a charge under it with a free txid is created now.
    const fresh = `${txid.slice(0, -1)}Y`;
    assert.equal((await charge(id, fresh)).data?.createPixCharge.txid, fresh);
  });
});
