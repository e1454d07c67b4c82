import { createHash } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { createOrReplay, isUniqueViolation, requestFingerprint } from '@baas/idempotency';
import type { PaymentAccount } from '../clients/accounts/client';
import { isClaimableKeyType } from '../domain/pix-claims';
import { hashKeyCode, KEY_CODE_MAX_ATTEMPTS, KEY_CODE_RESEND_AFTER_MS, KEY_CODE_TTL_MS, newKeyCode } from '../domain/pix-key-codes';
import { isPixKeyType, keyLimitRefusal, maxKeysPerAccount, newEvpKey, parsePixKey, type HolderKind, type PixKeyType } from '../domain/pix-keys';
import { keyInScope, keyOutOfScope, requireOperateAccount } from '../permissions';
import type { PixKeyRow, PixKeyStore } from '../store/pix-key-store';
import type { PixLookupLimit } from '../store/pix-lookup-limit-store';
import type { KeyCodeSender } from '../workers/key-code-sender';

/** What every DICT use case (keys, codes, lookups, claims) needs; built once by the composition root. */
export type PixKeyDeps = {
  keys: PixKeyStore;
  /** The per-customer lookup quota (store/pix-lookup-limit-store.ts). */
  lookupLimit: PixLookupLimit;
  /** The accounts subgraph (clients/accounts): an account's owner, currency, status, branch and number. */
  accounts: { account(id: string): Promise<PaymentAccount | null> };
  /** Delivers e-mail and phone keys' one-time codes. */
  codes: KeyCodeSender;
  /** Our ISPB (config PAYMENTS_ISPB), shown by lookups. */
  ispb: string;
  /** How long a claim waits for the donor (config PIX_CLAIM_RESOLUTION_SECONDS). */
  claimResolutionSeconds: number;
  now?: () => Date;
};

export type RegisterPixKeyInput = { id: string; accountId: string; keyType: string; key?: string | null; holderKind?: string | null };

export const REGISTER_PIX_KEY_FINGERPRINT_KIND = 'payments.register-pix-key/v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** BAD_USER_INPUT (field) unless `value` is a UUID; the lower-case UUID. */
export function requireUuid(value: string, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw badInput(`${field} must be a UUID.`, { field });
  return value.toLowerCase();
}

/**
 * The account, when the caller may operate it (FORBIDDEN otherwise, whether or not it exists) and
 * it may hold PIX keys: ACTIVE (ACCOUNT_FROZEN, ACCOUNT_CLOSED) and in BRL (CURRENCY_MISMATCH).
 */
export async function operableKeyAccount(deps: Pick<PixKeyDeps, 'accounts'>, who: Identity, accountId: string): Promise<PaymentAccount> {
  const account = await deps.accounts.account(requireUuid(accountId, 'accountId'));
  requireOperateAccount(who, account);
  const a = account as PaymentAccount;
  if (a.status === 'FROZEN') throw new DomainError('ACCOUNT_FROZEN', undefined, { field: 'accountId' });
  if (a.status === 'CLOSED') throw new DomainError('ACCOUNT_CLOSED', undefined, { field: 'accountId' });
  if (a.currency !== 'BRL') throw new DomainError('CURRENCY_MISMATCH', 'PIX keys point at BRL accounts only.', { field: 'accountId', currency: a.currency });
  return a;
}

/** CONFLICT KEY_ALREADY_REGISTERED; `claimable` tells the client claimPixKey may get it (phone, e-mail, CPF, CNPJ held by another account). */
export function keyAlreadyRegistered(keyType: PixKeyType, claimable: boolean): DomainError {
  return new DomainError('CONFLICT', 'This PIX key is already registered.', { reason: 'KEY_ALREADY_REGISTERED', keyType, claimable: claimable && isClaimableKeyType(keyType) });
}

function parseHolderKind(raw: string | null | undefined, keyType: PixKeyType): HolderKind {
  const kind = (raw ?? 'PERSON').trim().toUpperCase();
  if (kind !== 'PERSON' && kind !== 'COMPANY') throw badInput('holderKind is PERSON or COMPANY.', { field: 'holderKind', reason: 'INVALID_HOLDER_KIND' });
  if ((keyType === 'CPF' && kind !== 'PERSON') || (keyType === 'CNPJ' && kind !== 'COMPANY')) {
    throw badInput('A CPF key is a person\'s and a CNPJ key a company\'s.', { field: 'holderKind', reason: 'HOLDER_KIND_MISMATCH' });
  }
  return kind;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** Sends a key's code; on failure the code is expired (a repeat of the registration issues another) and SERVICE_UNAVAILABLE answers. */
async function deliver(deps: PixKeyDeps, key: PixKeyRow, code: string, expiresAt: Date, now: Date): Promise<void> {
  try {
    await deps.codes.send({ tenantId: key.tenantId, customerId: key.customerId, channel: key.keyType === 'EMAIL' ? 'EMAIL' : 'SMS', to: key.value, code, keyId: key.id, expiresAt });
  } catch {
    await deps.keys.expireCode(key.id, new Date(now.getTime() - KEY_CODE_TTL_MS));
    throw new DomainError('SERVICE_UNAVAILABLE', 'The verification code could not be sent: repeat the registration with the same id.');
  }
}

/**
 * Registers a PIX key on an account the caller may operate (its customer, or its tenant's client
 * with payments:write), ACTIVE and in BRL.
 *
 * - CPF keys are for PERSON holders, CNPJ keys for COMPANY ones (holderKind, default PERSON). The
 *   document is not yet matched against the customer's own: that check against identity's KYC
 *   record comes with issue 16.
 * - At most 5 keys per account for a person, 20 for a company (LIMIT_EXCEEDED, PIX_KEY_LIMIT_REACHED).
 * - EVP: the platform makes the UUID. EMAIL and PHONE: PENDING_VERIFICATION, a 6-digit code sent to
 *   the address (verifyPixKey; 10 minutes, 5 tries); the others are ACTIVE at once.
 * - A value held by another key is CONFLICT KEY_ALREADY_REGISTERED (details.claimable: claimPixKey);
 *   an unverified holder whose code lapsed is released instead.
 * - `input.id` is the key's id and the idempotency key: the same request replays (a pending key's
 *   repeat, a minute or more after the last code, sends a new code; at most 5 codes per customer
 *   and address per hour, RATE_LIMITED past it), another request is
 *   IDEMPOTENCY_KEY_REUSED, another tenant's or customer's id is FORBIDDEN.
 */
export async function registerPixKey(deps: PixKeyDeps, who: Identity, input: RegisterPixKeyInput): Promise<PixKeyRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  if (!isPixKeyType(input.keyType)) throw badInput('Unknown PIX key type.', { field: 'keyType', reason: 'INVALID_PIX_KEY_TYPE' });
  const keyType = input.keyType;
  let value: string | null = null;
  if (keyType === 'EVP') {
    if (input.key != null && input.key !== '') throw badInput('The platform makes random (EVP) keys: leave key out.', { field: 'key', reason: 'EVP_IS_GENERATED' });
  } else {
    if (input.key == null || input.key === '') throw badInput('key is required for this key type.', { field: 'key' });
    value = parsePixKey(keyType, input.key, 'key');
  }
  const holderKind = parseHolderKind(input.holderKind, keyType);
  const account = await operableKeyAccount(deps, who, input.accountId);
  const hash = requestFingerprint(REGISTER_PIX_KEY_FINGERPRINT_KIND, { accountId: account.id, keyType, keyDigest: value === null ? null : digest(value), holderKind });
  const pending = keyType === 'EMAIL' || keyType === 'PHONE';
  const code = pending ? newKeyCode() : null;
  const expiresAt = new Date(now.getTime() + KEY_CODE_TTL_MS);

  let outcome;
  try {
    outcome = await createOrReplay<PixKeyRow>({
      hash,
      storedHash: (r) => r.requestHash,
      scope: (r) => keyInScope(who, r, account.tenantId),
      outOfScope: () => keyOutOfScope(who),
      find: async () => (await deps.keys.findByIds([id]))[0] ?? null,
      insert: async () => {
        if (code) await deps.lookupLimit.codeSend({ tenantId: account.tenantId, customerId: account.customerId }, digest(value!));
        const result = await deps.keys.insertKey(
          {
            id, tenantId: account.tenantId, customerId: account.customerId, accountId: account.id, keyType, value: value ?? newEvpKey(),
            status: pending ? 'PENDING_VERIFICATION' : 'ACTIVE', holderKind, otpHash: code ? await hashKeyCode(code) : null, otpExpiresAt: code ? expiresAt : null,
            requestHash: hash, createdAt: now, verifiedAt: pending ? null : now,
          },
          { maxKeys: maxKeysPerAccount(holderKind), staleBefore: now, maxAttempts: KEY_CODE_MAX_ATTEMPTS },
        );
        if (result.outcome === 'LIMIT') throw keyLimitRefusal(result.count, holderKind)!;
        if (result.outcome === 'HELD') throw keyAlreadyRegistered(keyType, result.holder.accountId !== account.id);
        return result.key;
      },
    });
  } catch (error) {
    // A concurrent registration of the same value under another id won the unique index.
    if (isUniqueViolation(error)) throw keyAlreadyRegistered(keyType, true);
    throw error;
  }
  const key = outcome.row;
  if (key.status !== 'PENDING_VERIFICATION') return key;
  if (outcome.status === 'CREATED') {
    await deliver(deps, key, code!, expiresAt, now);
    return key;
  }
  // A repeat of a pending registration: a new code when the last one is at least a minute old.
  const lastExpiresBefore = new Date(now.getTime() + KEY_CODE_TTL_MS - KEY_CODE_RESEND_AFTER_MS);
  if (key.otpExpiresAt && key.otpExpiresAt.getTime() > lastExpiresBefore.getTime()) return key;
  await deps.lookupLimit.codeSend({ tenantId: key.tenantId, customerId: key.customerId }, digest(key.value));
  const fresh = newKeyCode();
  const reissued = await deps.keys.reissueCode(key.id, await hashKeyCode(fresh), expiresAt, lastExpiresBefore);
  if (!reissued) return key;
  await deliver(deps, reissued, fresh, expiresAt, now);
  return reissued;
}
