import { requireIdentity, type Identity } from '@baas/auth';
import { isValidCnpj, isValidCpf } from '@baas/br-documents';
import { badInput } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { amountArg } from '@baas/server';
import { createBusinessCalendar, defaultBusinessCalendar, type BusinessCalendar } from '../domain/business-days';
import { maskDocument } from '../domain/masking';
import { newEndToEndId } from '../domain/pix-ids';
import { tedSchedule } from '../domain/ted';
import type { PaymentOrderRow } from '../store/payment-order-store';
import { loadPayingAccount } from './load-paying-account';
import { orderBasics, type OrderDeps } from './pay-pix';
import { payerParty, submitPaymentOrder, type OrderClient } from './submit-payment-order';

export type PayTedInput = {
  id: string;
  accountId: string;
  amount: string;
  payee: { ispb: string; branch: string; account: string; name: string; document: string };
  description?: string | null;
  waitMs?: number | null;
};

const calendars = new Map<string, BusinessCalendar>();

/**
 * The business calendar: national holidays (date-holidays), Carnival and Corpus Christi, and the
 * configured bank-only days; made once per configuration (each keeps its holidays per year).
 */
export function tedCalendar(ted: { bankOnlyHolidays: readonly string[] }): BusinessCalendar {
  const key = ted.bankOnlyHolidays.join(',');
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = key === '' ? defaultBusinessCalendar : createBusinessCalendar({ extraBankOnlyDays: ted.bankOnlyHolidays });
    calendars.set(key, calendar);
  }
  return calendar;
}

/**
 * `payTed`: a TED to an account at another institution (STR). Inside the window (business day,
 * opens to cut-off, São Paulo time) it goes now; after the cut-off or on a non-business day it is
 * SCHEDULED for the next window's opening and goes then. On-us payees use PIX or a transfer.
 */
export async function payTed(deps: OrderDeps, identity: Identity | null, input: PayTedInput, client?: OrderClient): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  const { id, description, waitMs } = orderBasics(input);
  const amount = amountArg(input.amount, 'amount');
  const p = input.payee;
  if (!/^\d{8}$/.test(p.ispb)) throw badInput('ispb is 8 digits.', { field: 'payee.ispb' });
  if (p.ispb === deps.settings.ispb) throw badInput('The payee is at this institution: use PIX or a transfer.', { field: 'payee.ispb', reason: 'ON_US_TED' });
  if (!/^\d{1,4}$/.test(p.branch)) throw badInput('branch is up to 4 digits.', { field: 'payee.branch' });
  if (!/^\d{1,19}[0-9Xx]?$/.test(p.account)) throw badInput('account is digits with its check digit.', { field: 'payee.account' });
  const name = p.name.trim();
  if (name.length < 1 || name.length > 140) throw badInput('name is 1 to 140 characters.', { field: 'payee.name' });
  const document = p.document.replace(/[.\-/\s]/g, '').toUpperCase();
  if (!isValidCpf(document) && !isValidCnpj(document)) throw badInput('document is not a valid CPF or CNPJ.', { field: 'payee.document', reason: 'INVALID_DOCUMENT' });
  const account = await loadPayingAccount(deps.accounts, who, input.accountId, 'accountId', 'BRL');
  const now = new Date();
  const schedule = tedSchedule(now, { window: { opens: deps.settings.ted.opens, cutoff: deps.settings.ted.cutoff }, calendar: tedCalendar(deps.settings.ted) });
  return submitPaymentOrder(
    deps,
    who,
    {
      id,
      rail: 'TED',
      kind: 'PAYMENT',
      account,
      amount,
      endToEndId: newEndToEndId(deps.settings.ispb, now),
      counterparty: { name, ispb: p.ispb, branch: p.branch, account: p.account, accountType: 'CACC', documentMasked: maskDocument(document) },
      description,
      scheduledFor: schedule.kind === 'SCHEDULED' ? schedule.at : null,
      railData: { payer: payerParty(deps, account) },
      requestHash: requestFingerprint('ted/v1', { account: account.id, amount, payee: { ...p, document: maskDocument(document) }, description }),
    },
    { waitMs, ...(client ? { client } : {}) },
  );
}
