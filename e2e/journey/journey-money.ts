import {
  CreatePixChargeDocument,
  ExecuteFxQuoteDocument,
  IssueCardDocument,
  PaymentOrderDocument,
  PayPixDocument,
  PayTedDocument,
  QuoteFxDocument,
  RegisterPixKeyDocument,
  SendWireDocument,
  SimulateCardTransactionDocument,
  SimulateIncomingPixDocument,
  type SimulateCardTransactionInput,
} from '@baas/sdk';
import { expect, fmt, newId, short, until, type Gateway, type JourneyLog } from './journey-client';
import { balanceOf, type Account, type Person, type Sandbox } from './journey-onboard';

/** Waits until the account shows `posted` (and available equal to it: nothing held). */
export async function settledAt(gw: Gateway, account: Account, token: string, posted: bigint): Promise<bigint> {
  const b = await until(`the ${account.currency} balance to be ${posted}`, () => balanceOf(gw, account, token), (x) => x.posted === posted && x.available === posted);
  return b.posted;
}

const IN_FLIGHT = ['CREATED', 'APPROVED', 'PENDING', 'SENT'];

/** The order once the rail answered (waitMs is a wait, not a promise: a busy rail may still be on its way). */
async function landed<T extends { id: string; state: string }>(gw: Gateway, order: T, token: string): Promise<T> {
  if (!IN_FLIGHT.includes(order.state)) return order;
  const read = await until(`order ${order.id} to leave ${order.state}`, async () => (await gw.ok(PaymentOrderDocument, { id: order.id }, token)).paymentOrder, (o) => !!o && !IN_FLIGHT.includes(o.state));
  return { ...order, state: read!.state };
}

/** The sandbox bank sends a PIX to the account (or to a key). */
export async function incomingPix(gw: Gateway, log: JourneyLog, sandbox: Sandbox, to: { accountId: string } | { key: string }, amount: bigint, payerName: string) {
  const order = (await gw.ok(SimulateIncomingPixDocument, { input: { ...to, amount: amount.toString(), payerName, description: 'journey' } }, sandbox.clientToken)).simulateIncomingPix;
  expect(order.direction === 'IN' && order.state === 'SETTLED', `incoming PIX ${order.id} SETTLED (is ${order.state})`);
  log(`Incoming PIX: ${fmt(amount, 'BRL')} from another bank${'key' in to ? ' to the PIX key' : ''} credited (order ${short(order.id)}, EndToEndId ${short(order.endToEndId)}).`);
  return order;
}

export async function registerKey(gw: Gateway, log: JourneyLog, customer: Person, account: Account): Promise<string> {
  const key = (await gw.ok(RegisterPixKeyDocument, { input: { id: newId(), accountId: account.id, keyType: 'EVP' } }, customer.token)).registerPixKey;
  expect(key.status === 'ACTIVE', `the key ACTIVE (is ${key.status})`);
  log(`Customer: registered a random (EVP) PIX key ${short(key.key)} on the BRL account: ${key.status}.`);
  return key.key;
}

/** The merchant creates a dynamic charge; the customer pays its BR Code (the QR code's text). */
export async function payQrCode(gw: Gateway, log: JourneyLog, payer: Person, from: Account, merchant: Person, merchantAccount: Account, amount: bigint) {
  // A charge is received on one of the merchant's PIX keys.
  await gw.ok(RegisterPixKeyDocument, { input: { id: newId(), accountId: merchantAccount.id, keyType: 'EVP' } }, merchant.token);
  const charge = (await gw.ok(CreatePixChargeDocument, { input: { id: newId(), kind: 'COB', accountId: merchantAccount.id, amount: amount.toString(), description: 'journey order' } }, merchant.token)).createPixCharge;
  log(`Merchant: created a PIX charge (QR code) for ${fmt(amount, 'BRL')}, txid ${short(charge.txid)}.`);
  const paid = await landed(gw, (await gw.ok(PayPixDocument, { input: { id: newId(), accountId: from.id, brCode: charge.brCode, waitMs: 8000 } }, payer.token)).payPix, payer.token);
  expect(paid.state === 'SETTLED', `the QR payment SETTLED (is ${paid.state})`);
  expect(paid.amount.minorUnits === amount.toString(), 'the amount read from the charge');
  log(`Customer: paid the QR code: ${fmt(paid.amount.minorUnits, 'BRL')} ${paid.state} (order ${short(paid.id)}).`);
  return paid;
}

/** A TED to another bank: SETTLED inside the STR window on a business day, else SCHEDULED for the next one (nothing held). */
export async function payTed(gw: Gateway, log: JourneyLog, customer: Person, from: Account, amount: bigint) {
  const payee = { ispb: '60701190', branch: '0001', account: '123456', name: 'Maria Payee', document: '52998224725' };
  const order = await landed(gw, (await gw.ok(PayTedDocument, { input: { id: newId(), accountId: from.id, amount: amount.toString(), payee, description: 'rent', waitMs: 8000 } }, customer.token)).payTed, customer.token);
  if (order.state === 'SCHEDULED') {
    log(`Customer: TED of ${fmt(amount, 'BRL')} to bank 60701190: outside the STR window or not a business day, SCHEDULED for ${order.scheduledFor} (nothing is held until then).`);
  } else {
    expect(order.state === 'SETTLED', `the TED SETTLED or SCHEDULED (is ${order.state})`);
    log(`Customer: TED of ${fmt(amount, 'BRL')} to bank 60701190: ${order.state} (order ${short(order.id)}).`);
  }
  return order;
}

/** Buys dollars with an FX quote, then wires part of them abroad (pacs.008; the fee is a ledger line of its own). */
export async function fxAndWire(gw: Gateway, log: JourneyLog, customer: Person, brl: Account, usd: Account, sell: bigint, wire: bigint) {
  const quote = (await gw.ok(QuoteFxDocument, { input: { id: newId(), fromAccountId: brl.id, toAccountId: usd.id, sellAmount: sell.toString() } }, customer.token)).quoteFx;
  await gw.ok(ExecuteFxQuoteDocument, { id: newId(), quoteId: quote.id }, customer.token);
  const bought = BigInt(quote.buy.minorUnits);
  log(`Customer: FX: sold ${fmt(sell, 'BRL')}, bought ${fmt(bought, 'USD')} (quote ${short(quote.id)}).`);
  const input = { id: newId(), accountId: usd.id, amount: wire.toString(), beneficiary: { name: 'Hans Empfänger', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' }, remittance: 'invoice 7', waitMs: 8000 };
  const order = await landed(gw, (await gw.ok(SendWireDocument, { input }, customer.token)).sendWire, customer.token);
  expect(order.state === 'SETTLED', `the wire SETTLED (is ${order.state})`);
  log(`Customer: international wire of ${fmt(order.amount.minorUnits, 'USD')} to an IBAN in Germany (BIC COBADEFFXXX): ${order.state}, fee ${fmt(order.fee?.minorUnits ?? '0', 'USD')} (order ${short(order.id)}).`);
  return { bought, order };
}

/** A virtual card on the account; the sandbox network authorises, captures and refunds a purchase. */
export async function cardPurchase(gw: Gateway, log: JourneyLog, sandbox: Sandbox, customer: Person, account: Account, amount: bigint, refund: bigint) {
  const cardId = newId();
  const card = (await gw.ok(IssueCardDocument, { input: { id: cardId, accountId: account.id, form: 'VIRTUAL' } }, customer.token)).issueCard;
  log(`Customer: issued a virtual ${card.brand} card ${card.first6}******${card.last4} (${card.state}).`);
  const send = async (input: Omit<SimulateCardTransactionInput, 'id' | 'cardId'>) => (await gw.ok(SimulateCardTransactionDocument, { input: { id: newId(), cardId, ...input } }, sandbox.clientToken)).simulateCardTransaction;
  const auth = await send({ type: 'AUTHORIZATION', amount: amount.toString(), mcc: '5812', merchant: 'Cafe Central' });
  expect(auth.approved && auth.authorization, `the authorisation approved (response ${auth.responseCode})`);
  const held = await balanceOf(gw, account, customer.token);
  log(`Card network: authorisation of ${fmt(amount, 'BRL')} at Cafe Central: response ${auth.responseCode}, held (available ${fmt(held.available, 'BRL')}, posted ${fmt(held.posted, 'BRL')}).`);
  const capture = await send({ type: 'CAPTURE', amount: amount.toString(), authorizationId: auth.authorization.id });
  expect(capture.responseCode === '00', `the capture approved (response ${capture.responseCode})`);
  log(`Card network: captured ${fmt(amount, 'BRL')} (authorisation ${short(auth.authorization.id)}: ${capture.authorization?.state}).`);
  const refunded = await send({ type: 'REFUND', amount: refund.toString() });
  expect(refunded.responseCode === '00', `the refund approved (response ${refunded.responseCode})`);
  log(`Card network: refunded ${fmt(refund, 'BRL')} to the card: response ${refunded.responseCode}.`);
  return { cardId, held, authorization: capture.authorization, responses: [auth.responseCode, capture.responseCode, refunded.responseCode] };
}
