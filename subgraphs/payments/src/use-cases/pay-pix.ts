import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { requestFingerprint } from '@baas/idempotency';
import { waitArg } from '@baas/saga';
import { amountArg, isUuid } from '@baas/server';
import type { PaymentAccount } from '../clients/accounts/client';
import { maskAnyPixKey } from '../domain/masking';
import { parseBrCode } from '../domain/pix-brcode';
import { newEndToEndId } from '../domain/pix-ids';
import { parseAnyPixKey } from '../domain/pix-keys';
import type { MedCaseStore } from '../store/med-case-store';
import type { PaymentOrderRow, PaymentOrderStore } from '../store/payment-order-store';
import type { PixLimitStore } from '../store/pix-limit-store';
import type { OrderProcessor } from '../sagas/order-processor';
import type { RailPort } from '../workers/rail-port';
import { loadPayingAccount } from './load-paying-account';
import { payerParty, submitPaymentOrder, type OrderClient, type SubmitOrderDeps } from './submit-payment-order';

/** Everything the payment order use cases need (built once by the composition root). */
export type OrderDeps = SubmitOrderDeps & {
  orders: PaymentOrderStore;
  processor: OrderProcessor;
  rail: Pick<RailPort, 'simulateIncoming' | 'simulateReturn'>;
  limits: PixLimitStore;
  medCases: MedCaseStore;
  /** Our DICT: the ACTIVE key's account. */
  accountOfKey(value: string): Promise<string | null>;
  /** A dynamic QR's charge (ours: read through its signed location), with what is due now. */
  chargeToPay(q: { location: string }, at: Date): Promise<{ txid: string; amountDue: bigint; receiverAccountId: string; receiverKey: string }>;
  /** Identity: whether a tenant is in sandbox mode (sandbox mutations). */
  tenantSandbox(tenantId: string): Promise<boolean>;
  settings: SubmitOrderDeps['settings'] & {
    sandbox: boolean;
    ted: { opens: string; cutoff: string; bankOnlyHolidays: string[] };
    wireFee: bigint;
    correspondentBic: string;
    pixDefaults: { DAYTIME: bigint; NIGHTTIME: bigint };
    increaseDelayMs: number;
  };
};

export type PayPixInput = { id: string; accountId: string; amount?: string | null; key?: string | null; brCode?: string | null; description?: string | null; scheduledFor?: string | null; waitMs?: number | null };

const MAX_REMITTANCE = 140;

/** The receiver of a key or BR Code: our account behind it, the key, the amount the code fixes, its charge. */
async function receiverOf(deps: OrderDeps, input: PayPixInput, now: Date): Promise<{ accountId: string; key: string; amount?: bigint; txid?: string }> {
  if (!!input.key === !!input.brCode) throw badInput('Give either key or brCode.', { field: input.key ? 'brCode' : 'key' });
  if (input.key) {
    const key = parseAnyPixKey(input.key, 'key').value;
    const accountId = await deps.accountOfKey(key);
    if (!accountId) throw new DomainError('NOT_FOUND', 'No account answers to this PIX key.', { field: 'key', reason: 'PIX_KEY_NOT_FOUND' });
    return { accountId, key };
  }
  const code = parseBrCode(input.brCode!);
  if (code.kind === 'DYNAMIC') {
    const charge = await deps.chargeToPay({ location: code.location! }, now);
    return { accountId: charge.receiverAccountId, key: charge.receiverKey, amount: charge.amountDue, txid: charge.txid };
  }
  const accountId = code.key ? await deps.accountOfKey(code.key) : null;
  if (!accountId) throw new DomainError('NOT_FOUND', 'No account answers to the key in this BR Code.', { field: 'brCode', reason: 'PIX_KEY_NOT_FOUND' });
  return { accountId, key: code.key!, ...(code.amount !== undefined ? { amount: code.amount } : {}) };
}

/** The amount to pay: the code's when it fixes one (the input, if given, must equal it), else the input's. */
function amountToPay(input: PayPixInput, fixed: bigint | undefined): bigint {
  const given = input.amount === null || input.amount === undefined ? undefined : amountArg(input.amount, 'amount');
  if (fixed !== undefined) {
    if (given !== undefined && given !== fixed) throw badInput('The amount differs from the amount the BR Code asks for.', { field: 'amount', reason: 'AMOUNT_MISMATCH', expected: fixed.toString() });
    return fixed;
  }
  if (given === undefined) throw badInput('amount is required.', { field: 'amount' });
  return given;
}

/** Validates the common input of a payment (id, description, wait). */
export function orderBasics(input: { id: string; description?: string | null; waitMs?: number | null }): { id: string; description: string | null; waitMs: number } {
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const description = input.description?.trim() || null;
  if (description !== null && description.length > MAX_REMITTANCE) throw badInput(`description is too long (${MAX_REMITTANCE} characters at most).`, { field: 'description' });
  return { id: input.id.toLowerCase(), description, waitMs: waitArg(input.waitMs) };
}

/** The on-us receiver's account as the payer's order names it (never the owner's identity). */
export function receiverParty(deps: Pick<OrderDeps, 'settings'>, receiver: PaymentAccount, key?: string) {
  return { name: 'BaaS customer', ispb: deps.settings.ispb, branch: receiver.branch, account: `${receiver.number}${receiver.checkDigit}`, accountType: 'TRAN' as const, accountId: receiver.id, ...(key ? { pixKey: key } : {}) };
}

/**
 * `payPix`: pays a key, a static BR Code or a dynamic one (a charge: its amount due now), now or at
 * `scheduledFor`. Our DICT resolves keys to our accounts (every key is on-us in the sandbox; the
 * SPI carries the payment and brings it back as an incoming one for the receiver). Refusals before
 * anything is written: BAD_USER_INPUT (key, BR Code, amount), NOT_FOUND (key), FORBIDDEN,
 * ACCOUNT_FROZEN, STEP_UP_REQUIRED, RISK_DECLINED; after: DENIED (LIMIT_EXCEEDED, RISK_DECLINED) or
 * FAILED (INSUFFICIENT_FUNDS, the rail's reason).
 */
export async function payPix(deps: OrderDeps, identity: Identity | null, input: PayPixInput, client?: OrderClient): Promise<PaymentOrderRow> {
  const who = requireIdentity(identity);
  const { id, description, waitMs } = orderBasics(input);
  const scheduledFor = input.scheduledFor ? new Date(input.scheduledFor) : null;
  if (scheduledFor && Number.isNaN(scheduledFor.getTime())) throw badInput('scheduledFor is not a date.', { field: 'scheduledFor' });
  const account = await loadPayingAccount(deps.accounts, who, input.accountId, 'accountId', 'BRL');
  const now = new Date();
  const receiver = await receiverOf(deps, input, now);
  const amount = amountToPay(input, receiver.amount);
  if (receiver.accountId === account.id) throw badInput('An account cannot pay itself.', { field: input.key ? 'key' : 'brCode', reason: 'SAME_ACCOUNT' });
  const payee = await deps.accounts.account(receiver.accountId);
  if (!payee || payee.status === 'CLOSED') throw new DomainError('NOT_FOUND', 'No account answers to this PIX key.', { field: input.key ? 'key' : 'brCode', reason: 'PIX_KEY_NOT_FOUND' });
  return submitPaymentOrder(
    deps,
    who,
    {
      id,
      rail: 'PIX',
      kind: 'PAYMENT',
      account,
      amount,
      endToEndId: newEndToEndId(deps.settings.ispb, now),
      counterparty: { ...receiverParty(deps, payee, receiver.key), pixKey: receiver.key },
      counterpartyAccountId: payee.id,
      pixKey: maskAnyPixKey(receiver.key),
      chargeTxid: receiver.txid ?? null,
      description,
      scheduledFor,
      railData: { payer: payerParty(deps, account) },
      requestHash: requestFingerprint('pix/v1', { account: account.id, amount, key: input.key ?? null, brCode: input.brCode ?? null, description, scheduledFor: scheduledFor?.toISOString() ?? null }),
    },
    { waitMs, ...(client ? { client } : {}) },
  );
}
