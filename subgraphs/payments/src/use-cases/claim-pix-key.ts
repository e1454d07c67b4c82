import { createHash } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { createOrReplay, requestFingerprint } from '@baas/idempotency';
import { claimResolveBy, claimTypeRefusal, parseClaimType } from '../domain/pix-claims';
import { isPixKeyType, keyLimitRefusal, maxKeysPerAccount, parsePixKey } from '../domain/pix-keys';
import { keyInScope, keyOutOfScope } from '../permissions';
import type { PixKeyClaimRow } from '../store/pix-key-store';
import { operableKeyAccount, requireUuid, type PixKeyDeps } from './register-pix-key';

export type ClaimPixKeyInput = { id: string; accountId: string; keyType: string; key: string; claimType: string };

export const CLAIM_PIX_KEY_FINGERPRINT_KIND = 'payments.claim-pix-key/v1';

const refusal = (reason: string, message: string) => new DomainError('CONFLICT', message, { reason });

/**
 * Opens a claim on a key ACTIVE on another account: OWNERSHIP (phone and e-mail keys: someone else
 * registered mine) or PORTABILITY (any type but EVP: move my key here), for an account the caller
 * operates (ACTIVE, BRL). The donor confirms or (portability) keeps the key with
 * confirmPixKeyClaim / cancelPixKeyClaim; past resolveBy (now + claimResolutionSeconds) the timer
 * completes an ownership claim and cancels a portability one (domain/pix-claims.ts).
 * Refusals (CONFLICT, details.reason): KEY_NOT_REGISTERED (nobody holds it: register it),
 * KEY_ALREADY_ON_ACCOUNT, KEY_NOT_ACTIVE (it waits for verification), CLAIM_ALREADY_OPEN; a full
 * account is LIMIT_EXCEEDED. `input.id` is the claim's id and the idempotency key (as registerPixKey).
 * A CPF or CNPJ portability is not yet matched against the claimer's own document (identity's KYC
 * record, issue 16): the donor's confirmation is what moves it.
 */
export async function claimPixKey(deps: Pick<PixKeyDeps, 'keys' | 'accounts' | 'claimResolutionSeconds' | 'now'>, who: Identity, input: ClaimPixKeyInput): Promise<PixKeyClaimRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  const claimType = parseClaimType(input.claimType);
  if (!isPixKeyType(input.keyType)) throw badInput('Unknown PIX key type.', { field: 'keyType', reason: 'INVALID_PIX_KEY_TYPE' });
  const keyType = input.keyType;
  const notAllowed = claimTypeRefusal(claimType, keyType);
  if (notAllowed) throw notAllowed;
  const value = parsePixKey(keyType, input.key, 'key');
  const account = await operableKeyAccount(deps, who, input.accountId);
  const hash = requestFingerprint(CLAIM_PIX_KEY_FINGERPRINT_KIND, { accountId: account.id, keyType, keyDigest: createHash('sha256').update(value).digest('hex'), claimType });
  const holderKind = keyType === 'CNPJ' ? 'COMPANY' : await deps.keys.holderKindOf(account.id);

  const { row } = await createOrReplay<PixKeyClaimRow>({
    hash,
    storedHash: (r) => r.requestHash,
    scope: (r) => keyInScope(who, r, account.tenantId),
    outOfScope: () => keyOutOfScope(who),
    find: async () => (await deps.keys.findClaimsByIds([id]))[0] ?? null,
    insert: async () => {
      const result = await deps.keys.openClaim(
        { id, claimType, keyType, value, tenantId: account.tenantId, customerId: account.customerId, accountId: account.id, resolveBy: claimResolveBy(now, deps.claimResolutionSeconds), requestHash: hash, createdAt: now },
        { maxKeys: maxKeysPerAccount(holderKind) },
      );
      switch (result.outcome) {
        case 'OPENED':
          return result.claim;
        case 'LIMIT':
          throw keyLimitRefusal(result.count, holderKind)!;
        case 'NOT_REGISTERED':
          throw refusal('KEY_NOT_REGISTERED', 'No account holds this key: register it instead.');
        case 'SAME_ACCOUNT':
          throw refusal('KEY_ALREADY_ON_ACCOUNT', 'This account already holds this key.');
        case 'NOT_ACTIVE':
          throw refusal('KEY_NOT_ACTIVE', 'This key is not active yet.');
        case 'CLAIM_OPEN':
          throw refusal('CLAIM_ALREADY_OPEN', 'A claim on this key is already open.');
      }
    },
  });
  return row;
}
