import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { DomainError, badInput } from '@baas/errors';
import { createOrReplay, isUniqueViolation, requestFingerprint } from '@baas/idempotency';
import { isMoneyError, parseAmount } from '@baas/money';
import { isUuid } from '@baas/server';
import type { PaymentAccount } from '../clients/accounts/client';
import { localDateOf } from '../domain/business-days';
import { MAX_BR_CODE_AMOUNT, buildDynamicBrCode } from '../domain/pix-brcode';
import { parseChargeTerms, rulesToJson } from '../domain/pix-charges';
import { newTxid, parseTxid } from '../domain/pix-ids';
import { keyInScope, keyOutOfScope, requireOperateAccount } from '../permissions';
import type { PixChargeRow, PixChargeStore } from '../store/pix-charge-store';
import type { ChargeSigner } from '../workers/charge-signer';

/** What the charge use cases (create, get, cancel, find to pay, parse a BR Code) need. */
export type PixChargeDeps = {
  charges: PixChargeStore;
  signer: ChargeSigner;
  /** Accounts (an internal client): the account's owner, currency and status. */
  accounts: { account(id: string): Promise<PaymentAccount | null> };
  /** The account's ACTIVE PIX key (`key` when given and it is one of them; else its first), or null. */
  activeKeyOf: (accountId: string, key?: string) => Promise<{ type: string; value: string } | null>;
  /** PIX_LOCATION_BASE_URL: a charge's location is `${locationBaseUrl}/${locationId}`. */
  locationBaseUrl: string;
  /** The merchant's name and city in the BR Codes (EMV: at most 25 and 15 ASCII characters); default 'BAAS' and 'SAO PAULO'. */
  merchantName?: string;
  merchantCity?: string;
  now?: () => Date;
};

/** The createPixCharge input (CreatePixChargeInput). */
export type CreatePixChargeInput = {
  id: string;
  kind: string;
  accountId: string;
  key?: string | null;
  amount: string;
  txid?: string | null;
  expiration?: number | null;
  dueDate?: string | null;
  fineBps?: number | null;
  interestMonthlyBps?: number | null;
  discount?: string | null;
  description?: string | null;
};

const MAX_DESCRIPTION = 140;

function amountOf(value: unknown, field: string, sign: 'positive' | 'non-negative' = 'positive'): bigint {
  try {
    const amount = parseAmount(value, { sign });
    if (amount > MAX_BR_CODE_AMOUNT) throw badInput(`${field} is at most ${MAX_BR_CODE_AMOUNT} minor units.`, { field });
    return amount;
  } catch (error) {
    if (isMoneyError(error)) throw badInput(error.message, { field });
    throw error;
  }
}

const duplicateTxid = () => new DomainError('CONFLICT', 'Another charge already has this txid.', { reason: 'DUPLICATE_TXID', field: 'txid' });

/**
 * Creates a PIX charge (cob or cobv) on an account the caller may operate, showing its ACTIVE key
 * (`input.key`, else its first). The txid is the client's (26-35 alphanumerics) or made here; a txid
 * another charge holds is CONFLICT (reason DUPLICATE_TXID) and writes nothing. `input.id` is the
 * idempotency key (@baas/idempotency): the same request replays the stored charge, another one is
 * IDEMPOTENCY_KEY_REUSED, an id of another tenant or customer FORBIDDEN. Refusals: BAD_USER_INPUT
 * with details.field, FORBIDDEN, ACCOUNT_FROZEN / ACCOUNT_CLOSED, CURRENCY_MISMATCH (not BRL).
 */
export async function createPixCharge(deps: PixChargeDeps, who: Identity, input: CreatePixChargeInput): Promise<PixChargeRow> {
  if (typeof input.id !== 'string' || !isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const id = input.id.toLowerCase();
  if (typeof input.accountId !== 'string' || !isUuid(input.accountId)) throw badInput('accountId must be a UUID.', { field: 'accountId' });
  const accountId = input.accountId.toLowerCase();
  const now = (deps.now ?? (() => new Date()))();
  const amount = amountOf(input.amount, 'amount');
  const discount = input.discount === undefined || input.discount === null ? null : amountOf(input.discount, 'discount', 'non-negative');
  const kind = typeof input.kind === 'string' ? input.kind.toUpperCase() : input.kind;
  const terms = parseChargeTerms({ ...input, kind, amount, discount, today: localDateOf(now) });
  const txid = input.txid === undefined || input.txid === null ? null : parseTxid(input.txid, terms.kind);
  const description = input.description?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION) throw badInput(`description is at most ${MAX_DESCRIPTION} characters.`, { field: 'description' });
  const key = input.key?.trim() || null;

  const account = await deps.accounts.account(accountId);
  requireOperateAccount(who, account);
  if (account.status === 'FROZEN') throw new DomainError('ACCOUNT_FROZEN');
  if (account.status === 'CLOSED') throw new DomainError('ACCOUNT_CLOSED');
  if (account.currency !== 'BRL') throw new DomainError('CURRENCY_MISMATCH', 'PIX charges are in BRL.');

  // The key enters the fingerprint only as its own hash (a fingerprint is stored; see requestFingerprint).
  const hash = requestFingerprint('pix-charge/v1', {
    kind: terms.kind, accountId, key: key ? requestFingerprint('pix-key', key) : null, amount, txid, expiration: terms.expiration,
    dueDate: terms.dueDate, rules: rulesToJson(terms.rules), description,
  });
  try {
    const { row } = await createOrReplay<PixChargeRow>({
      hash,
      storedHash: (r) => r.requestHash,
      scope: (r) => keyInScope(who, r, account.tenantId),
      outOfScope: () => keyOutOfScope(who),
      find: () => deps.charges.findById(id),
      insert: async () => {
        const shown = await deps.activeKeyOf(accountId, key ?? undefined);
        if (!shown) throw badInput(key ? 'The key is not an ACTIVE key of this account.' : 'The account has no ACTIVE PIX key.', { field: 'key', reason: 'NO_ACTIVE_KEY' });
        const chosen = txid ?? newTxid();
        const taken = await deps.charges.findByTxid(chosen);
        // Taken by this very id: a concurrent twin of this request won (create-or-replay replays it).
        if (taken?.id === id) return null;
        if (taken) throw duplicateTxid();
        return deps.charges.insert({
          id, txid: chosen, tenantId: account.tenantId, customerId: account.customerId, accountId, kind: terms.kind, amount, currency: 'BRL',
          pixKey: shown.value, expiration: terms.expiration, dueDate: terms.dueDate, rules: rulesToJson(terms.rules), description,
          locationId: randomUUID(), requestHash: hash, createdAt: now,
        });
      },
    });
    return row;
  } catch (error) {
    // A concurrent charge took the txid between the check and the insert.
    if (isUniqueViolation(error) && txid && (await deps.charges.findByTxid(txid))?.id !== id) throw duplicateTxid();
    throw error;
  }
}

/** A charge's location URL. */
export function chargeLocation(deps: Pick<PixChargeDeps, 'locationBaseUrl'>, row: Pick<PixChargeRow, 'locationId'>): string {
  return `${deps.locationBaseUrl.replace(/\/+$/, '')}/${row.locationId}`;
}

/** A charge's dynamic BR Code (copy-and-paste): its location without the scheme, the merchant's name and city. */
export function chargeBrCode(deps: Pick<PixChargeDeps, 'locationBaseUrl' | 'merchantName' | 'merchantCity'>, row: Pick<PixChargeRow, 'locationId'>): string {
  return buildDynamicBrCode({
    locationUrl: chargeLocation(deps, row).replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''),
    merchantName: deps.merchantName ?? 'BAAS',
    merchantCity: deps.merchantCity ?? 'SAO PAULO',
  });
}
