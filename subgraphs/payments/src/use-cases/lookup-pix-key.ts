import type { Identity } from '@baas/auth';
import { maskAccountNumber, maskPixKey } from '../domain/pix-key-masks';
import { parseAnyPixKey, type PixKeyType } from '../domain/pix-keys';
import { requireOperateAccount } from '../permissions';
import { requireUuid, type PixKeyDeps } from './register-pix-key';

/** What a payer sees of a key before paying it. */
export type PixKeyLookupView = { keyType: PixKeyType; keyMasked: string; ispb: string; branch: string; accountMasked: string };

/**
 * Looks an ACTIVE key up before paying it (DICT consulta): its type, the key masked, our ISPB, the
 * branch and the account number masked; null when no active key has that value. Only for a payer
 * account the caller operates (FORBIDDEN otherwise). Every lookup counts against the payer's
 * customer's per-minute quota (RATE_LIMITED, details.retryAfterSeconds), a miss counts double
 * (anti-scraping). A key of no recognisable shape is BAD_USER_INPUT (field key) and is not counted.
 */
export async function lookupPixKey(deps: Pick<PixKeyDeps, 'keys' | 'accounts' | 'lookupLimit' | 'ispb'>, who: Identity, input: { key: string; payerAccountId: string }): Promise<PixKeyLookupView | null> {
  const payer = await deps.accounts.account(requireUuid(input.payerAccountId, 'payerAccountId'));
  requireOperateAccount(who, payer);
  const parsed = parseAnyPixKey(input.key, 'key');
  const subject = { tenantId: payer.tenantId, customerId: payer.customerId };
  await deps.lookupLimit.hit(subject);
  const key = await deps.keys.findActiveByValue(parsed.value);
  const account = key ? await deps.accounts.account(key.accountId) : null;
  if (!key || !account) {
    await deps.lookupLimit.miss(subject);
    return null;
  }
  return {
    keyType: key.keyType as PixKeyType,
    keyMasked: maskPixKey(key.keyType, key.value),
    ispb: deps.ispb,
    branch: account.branch,
    accountMasked: maskAccountNumber(account.number, account.checkDigit),
  };
}
