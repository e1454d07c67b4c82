import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { amountArg } from '@baas/server';
import { assertValidPacs008 } from '../clients/iso20022/pacs008-schema';
import { newEndToEndId } from '../domain/pix-ids';
import { buildPacs008, parseBic, parseIban } from '../domain/wire';
import type { PaymentOrderRow } from '../store/payment-order-store';
import { loadPayingAccount } from './load-paying-account';
import { orderBasics, type OrderDeps } from './pay-pix';
import { payerParty, submitPaymentOrder, type OrderClient } from './submit-payment-order';

/** The correspondent's ISPB on the rail message (the beneficiary is named by IBAN and BIC). */
const CORRESPONDENT_ISPB = '99999998';

export type SendWireInput = { id: string; accountId: string; amount: string; beneficiary: { name: string; iban: string; bic: string }; remittance?: string | null; waitMs?: number | null };

/**
 * `sendWire`: an international wire in the paying account's currency (convert first with the FX
 * quotes: quoteFx, executeFxQuote), through our correspondent: IBAN and BIC validated (ibantools), an
 * ISO 20022 pacs.008.001.08 message built and kept on the order, the fee (WIRE_FEE_MINOR) as its own
 * ledger line held and posted with the payment. Returns come back as rail returns.
 */
export async function sendWire(deps: OrderDeps, identity: Identity | null, input: SendWireInput, client?: OrderClient): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  const { id, description, waitMs } = orderBasics({ ...input, description: input.remittance ?? null });
  const amount = amountArg(input.amount, 'amount');
  const name = input.beneficiary.name.trim();
  if (name.length < 1 || name.length > 140) throw badInput('name is 1 to 140 characters.', { field: 'beneficiary.name' });
  const iban = parseIban(input.beneficiary.iban, 'beneficiary.iban');
  const bic = parseBic(input.beneficiary.bic, 'beneficiary.bic');
  const account = await loadPayingAccount(deps.accounts, who, input.accountId);
  const now = new Date();
  const endToEndId = newEndToEndId(deps.settings.ispb, now);
  // Our side: the account as a Brazilian IBAN is not issued by this sandbox; the debtor is our institution's correspondent account.
  const pacs008 = buildPacs008({
    msgId: endToEndId,
    createdAt: now,
    debtor: { name: deps.settings.institutionName, iban: 'BR1800360305000010009795493C1', bic: deps.settings.correspondentBic },
    creditor: { name, iban: iban.iban, bic },
    amount,
    currency: account.currency,
    endToEndId,
    ...(description ? { remittanceInfo: description } : {}),
  });
  assertValidPacs008(pacs008);
  return submitPaymentOrder(
    deps,
    who,
    {
      id,
      rail: 'WIRE',
      kind: 'PAYMENT',
      account,
      amount,
      feeAmount: deps.settings.wireFee,
      endToEndId,
      counterparty: { name, ispb: CORRESPONDENT_ISPB, iban: iban.iban, bic },
      description,
      railData: { payer: payerParty(deps, account), pacs008 },
      requestHash: requestFingerprint('wire/v1', { account: account.id, amount, iban: iban.iban, bic, name, description }),
    },
    { waitMs, ...(client ? { client } : {}) },
  );
}
