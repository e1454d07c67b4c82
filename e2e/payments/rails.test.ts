import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpfCheckDigits } from '@baas/br-documents';
import {
  ExecuteFxQuoteDocument,
  JourneyAccountLedgerDocument,
  JourneySetTenantCurrenciesDocument,
  OpenAccountDocument,
  ParseBoletoDocument,
  PayBoletoDocument,
  PayTedDocument,
  QuoteFxDocument,
  SendWireDocument,
} from '@baas/sdk';
import type { Customer, OpenedAccount, Tenant } from '../risk/risk-world';
import { addDays, defaultBusinessCalendar, localDateOf, localMinutesOf } from '../../subgraphs/payments/src/domain/business-days';
import { barcodeCheckDigit, barcodeToDigitableLine, dueDateFromFactor, FACTOR_RESET_DATE } from '../../subgraphs/payments/src/domain/boleto';
import { tedSchedule, type TedWindow } from '../../subgraphs/payments/src/domain/ted';
import { clearingAccountId, feesAccountId, startPaymentsWorld, type Balance, type PaymentsWorld } from './payments-world';

/**
 * The other rails' journeys through the gateway with the typed SDK (issue 13): a TED after the
 * cut-off waits for the next window and goes then; an international wire from a USD account bought
 * with an FX conversion carries its pacs.008 and its fee as a ledger line of its own; a boleto is
 * paid by its digitable line. The operator's account read and the ledger agree at every step, and
 * what leaves a customer is exactly what reaches the rail's clearing account (and the fees).
 */

// A TED window that is closed now, and stays closed while this file runs (São Paulo time).
const WINDOW: TedWindow = localMinutesOf(new Date()) < 12 * 60 ? { opens: '20:00', cutoff: '21:00' } : { opens: '01:00', cutoff: '02:00' };
const FUNDED = 1_000_000n;

describe('payments journey: TED, wire, boleto', { timeout: 90_000 }, () => {
  let w: PaymentsWorld;
  let tenant: Tenant;
  let carol: Customer;
  let brl: OpenedAccount;
  const c: Balance = { posted: FUNDED, available: FUNDED };
  const spend = (amount: bigint) => {
    c.posted -= amount;
    c.available -= amount;
  };

  before(async () => {
    w = await startPaymentsWorld({ TED_OPENS: WINDOW.opens, TED_CUTOFF: WINDOW.cutoff });
    tenant = await w.newTenant();
    carol = await w.newCustomer(tenant);
    brl = await w.openAccount(carol, FUNDED);
  });
  after(async () => {
    await w?.stop();
  });

  it('5. a TED after the cut-off is SCHEDULED for the next window, nothing held; when the window comes it settles', async () => {
    const base = '529982247';
    const payee = { ispb: '60701190', branch: '0001', account: '123456', name: 'Maria Payee', document: base + cpfCheckDigits(base) };
    const requestedAt = new Date();
    const ted = await w.ok(PayTedDocument, { input: { id: w.id(), accountId: brl.id, amount: '50000', payee, description: 'rent', waitMs: 8000 } }, carol.identity);
    const order = ted.payTed;
    assert.equal(order.state, 'SCHEDULED', JSON.stringify(order));
    assert.equal(order.rail, 'TED');
    const scheduledFor = new Date(order.scheduledFor!);
    assert.ok(scheduledFor > requestedAt, 'in the future');
    assert.equal(localMinutesOf(scheduledFor), Number(WINDOW.opens.slice(0, 2)) * 60, 'at the window opening, São Paulo time');
    assert.ok(defaultBusinessCalendar.isBusinessDay(localDateOf(scheduledFor)), 'on a business day');
    const expected = tedSchedule(requestedAt, { window: WINDOW });
    assert.equal(order.scheduledFor, 'at' in expected ? expected.at.toISOString() : 'NOW', 'the next window opening');
    // Scheduled: no hold yet.
    await w.agree(brl, c);
    assert.equal((await w.order(order.id, carol.identity)).state, 'SCHEDULED');

    // The processor comes back long after the window it was scheduled into (its time two days ago,
    // the window closed now): it does not send the TED outside a window, it waits for the next opening.
    const late = await w.sql(`UPDATE payments.payment_order SET scheduled_for = now() - interval '2 days', next_attempt_at = now() WHERE id = $1 AND state = 'SCHEDULED'`, [order.id]);
    assert.equal(late.rowCount, 1);
    const deadline = Date.now() + 15_000;
    let look: { state: string; next: Date | null } = { state: '', next: null };
    while (Date.now() < deadline) {
      const rows = await w.sql(`SELECT state, next_attempt_at AS next FROM payments.payment_order WHERE id = $1`, [order.id]);
      look = rows.rows[0] as typeof look;
      if (look.next && look.next.getTime() > Date.now() + 60_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(look.state, 'SCHEDULED', 'not sent outside its window');
    assert.equal(look.next?.toISOString(), tedSchedule(new Date(), { window: WINDOW }).kind === 'SCHEDULED' ? (tedSchedule(new Date(), { window: WINDOW }) as { at: Date }).at.toISOString() : 'NOW', 'its next look is the next opening');
    await w.agree(brl, c);

    // The window arrives: the order's time (and its next look) come due, as they would at the opening.
    const updated = await w.sql(`UPDATE payments.payment_order SET scheduled_for = now() - interval '1 second', next_attempt_at = now() WHERE id = $1 AND state = 'SCHEDULED'`, [order.id]);
    assert.equal(updated.rowCount, 1);
    const settled = await w.orderIn(order.id, carol.identity, 'SETTLED');
    assert.deepEqual(settled.history.map((h) => h.to), ['SCHEDULED', 'CREATED', 'APPROVED', 'PENDING', 'SENT', 'SETTLED']);
    assert.equal(settled.counterparty?.ispb, '60701190');
    spend(50_000n);
    const l = await w.agree(brl, c);
    assert.deepEqual(l.entries.map((e) => [e.amount, e.code]).slice(-1), [[-50_000n, 20]], 'a PAYMENT_OUT line');
    assert.equal((await w.ledger(clearingAccountId('TED', 'BRL'))).posted, 50_000n, 'what left the customer is at the STR clearing account');
  });

  it('6. a wire from a USD account (bought with FX): pacs.008 on the order, SETTLED, the fee its own ledger line', async () => {
    await w.ok(JourneySetTenantCurrenciesDocument, { input: { tenantId: tenant.id, currencies: ['BRL', 'USD'] } }, w.operator);
    const usdId = w.id();
    await w.ok(OpenAccountDocument, { input: { id: usdId, currency: 'USD' } }, carol.identity);
    const read = await w.ok(JourneyAccountLedgerDocument, { id: usdId }, w.operator);
    const usd: OpenedAccount = { id: usdId, ledgerAccountId: read.account!.ledgerAccount.id };
    const quote = await w.ok(QuoteFxDocument, { input: { id: w.id(), fromAccountId: brl.id, toAccountId: usd.id, sellAmount: '100000' } }, carol.identity);
    const bought = BigInt(quote.quoteFx.buy.minorUnits);
    assert.ok(bought > 12_500n, `enough dollars for the wire and its fee: ${bought}`);
    await w.ok(ExecuteFxQuoteDocument, { id: w.id(), quoteId: quote.quoteFx.id }, carol.identity);
    spend(100_000n);
    await w.agree(brl, c);
    await w.agree(usd, { posted: bought, available: bought });

    const iban = 'DE89370400440532013000';
    const wire = await w.ok(SendWireDocument, { input: { id: w.id(), accountId: usd.id, amount: '10000', beneficiary: { name: 'Hans Empfänger', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' }, remittance: 'invoice 7', waitMs: 8000 } }, carol.identity);
    const order = wire.sendWire;
    assert.equal(order.state, 'SETTLED', JSON.stringify(order));
    assert.deepEqual([order.rail, order.amount, order.fee], ['WIRE', { minorUnits: '10000', currency: 'USD' }, { minorUnits: '2500', currency: 'USD' }]);
    assert.deepEqual([order.counterparty?.iban, order.counterparty?.bic], [iban, 'COBADEFFXXX']);

    const xml = (await w.order(order.id, carol.identity)).pacs008!;
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs\.008\.001\.08">[\s\S]*<\/Document>\s*$/);
    const tag = (path: string) => new RegExp(path.split('/').map((t) => `<${t}(?: [^>]*)?>\\s*`).join('[\\s\\S]*?') + '([^<]*)<').exec(xml)?.[1];
    assert.equal(tag('CdtrAcct/Id/IBAN'), iban);
    assert.equal(tag('CdtrAgt/FinInstnId/BICFI'), 'COBADEFFXXX');
    assert.equal(tag('Cdtr/Nm'), 'Hans Empfänger');
    assert.match(xml, /<IntrBkSttlmAmt Ccy="USD">100\.00<\/IntrBkSttlmAmt>/);
    assert.equal(tag('PmtId/EndToEndId'), order.endToEndId);
    assert.equal(tag('RmtInf/Ustrd'), 'invoice 7');

    const l = await w.agree(usd, { posted: bought - 12_500n, available: bought - 12_500n });
    assert.deepEqual(l.entries.map((e) => [e.amount, e.code]).slice(-2).sort(), [[-10_000n, 20], [-2_500n, 23]].sort(), 'the payment and the fee, two lines');
    assert.equal((await w.ledger(clearingAccountId('WIRE', 'USD'))).posted, 10_000n, 'the principal at the correspondent clearing account');
    assert.equal((await w.ledger(feesAccountId('USD'))).posted, 2_500n, 'the fee in the fees account');
  });

  it('7. a boleto paid by its digitable line: SETTLED, the slip\'s amount', async () => {
    // A bank slip (Itaú, 341) due in ten days for R$ 456,78, built with the domain's check digits.
    const due = addDays(localDateOf(new Date()), 10);
    const factor = 1000 + Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${FACTOR_RESET_DATE}T00:00:00Z`)) / 86_400_000);
    assert.equal(dueDateFromFactor(factor, localDateOf(new Date())), due);
    const body = `3419${factor}${'45678'.padStart(10, '0')}${'1090000012345678901234567'}`;
    const barcode = body.slice(0, 4) + barcodeCheckDigit(body) + body.slice(4);
    const line = barcodeToDigitableLine(barcode);
    const parsed = await w.ok(ParseBoletoDocument, { line }, carol.identity);
    assert.deepEqual([parsed.parseBoleto.amount?.minorUnits, parsed.parseBoleto.dueDate, parsed.parseBoleto.bankCode], ['45678', due, '341']);

    const paid = await w.ok(PayBoletoDocument, { input: { id: w.id(), accountId: brl.id, line, waitMs: 8000 } }, carol.identity);
    assert.equal(paid.payBoleto.state, 'SETTLED', JSON.stringify(paid.payBoleto));
    assert.deepEqual([paid.payBoleto.rail, paid.payBoleto.amount.minorUnits, paid.payBoleto.boleto?.barcode, paid.payBoleto.boleto?.digitableLine], ['BOLETO', '45678', barcode, line]);
    spend(45_678n);
    await w.agree(brl, c);
    assert.equal((await w.ledger(clearingAccountId('BOLETO', 'BRL'))).posted, 45_678n);
  });
});
