import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { amountArg } from '@baas/server';
import { parseBoleto } from '../domain/boleto';
import { localDateOf } from '../domain/business-days';
import { newEndToEndId } from '../domain/pix-ids';
import type { PaymentOrderRow } from '../store/payment-order-store';
import { loadPayingAccount } from './load-paying-account';
import { orderBasics, type OrderDeps } from './pay-pix';
import { payerParty, submitPaymentOrder, type OrderClient } from './submit-payment-order';

/** The clearing house's ISPB on a boleto payment's rail message (the issuing bank is named by its code). */
const BOLETO_CLEARING_ISPB = '00000000';

export type PayBoletoInput = { id: string; accountId: string; line: string; amount?: string | null; waitMs?: number | null };

/**
 * `payBoleto`: pays a bank slip by its digitable line or barcode (check digits, due-date factor and
 * amount read by domain/boleto.ts). The slip's amount when it prints one (the input, if given, must
 * equal it), else the input's. A boleto is never returned: a mistaken payment is refunded by the
 * issuer with a new payment.
 */
export async function payBoleto(deps: OrderDeps, identity: Identity | null, input: PayBoletoInput, client?: OrderClient): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  const { id, waitMs } = orderBasics(input);
  const now = new Date();
  const slip = parseBoleto(input.line, { referenceDate: localDateOf(now), field: 'line' });
  const given = input.amount ? amountArg(input.amount, 'amount') : undefined;
  if (slip.amount > 0n && given !== undefined && given !== slip.amount) throw badInput('The amount differs from the slip’s.', { field: 'amount', reason: 'AMOUNT_MISMATCH', expected: slip.amount.toString() });
  const amount = slip.amount > 0n ? slip.amount : given;
  if (amount === undefined) throw badInput('This slip prints no amount: amount is required.', { field: 'amount' });
  const account = await loadPayingAccount(deps.accounts, who, input.accountId, 'accountId', 'BRL');
  return submitPaymentOrder(
    deps,
    who,
    {
      id,
      rail: 'BOLETO',
      kind: 'PAYMENT',
      account,
      amount,
      endToEndId: newEndToEndId(deps.settings.ispb, now),
      counterparty: { name: `Bank ${slip.bankCode}`, ispb: BOLETO_CLEARING_ISPB },
      description: `Boleto ${slip.bankCode}`,
      railData: { payer: payerParty(deps, account), boleto: { barcode: slip.barcode, digitableLine: slip.digitableLine, bankCode: slip.bankCode, dueDate: slip.dueDate, amount: slip.amount.toString() } },
      requestHash: requestFingerprint('boleto/v1', { account: account.id, barcode: slip.barcode, amount }),
    },
    { waitMs, ...(client ? { client } : {}) },
  );
}
