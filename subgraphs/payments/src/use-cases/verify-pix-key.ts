import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { KEY_CODE_MAX_ATTEMPTS, keyCodeMatches } from '../domain/pix-key-codes';
import { requireOperateAccount } from '../permissions';
import type { PixKeyRow } from '../store/pix-key-store';
import { requireUuid, type PixKeyDeps } from './register-pix-key';

const tooManyAttempts = () => new DomainError('TOO_MANY_ATTEMPTS', 'The code\'s tries are used up: delete the key and register it again.');

/**
 * Confirms an e-mail or phone key with the 6-digit code sent to it: the key becomes ACTIVE
 * (payments.pix.key.registered). The caller must operate the key's account (FORBIDDEN otherwise,
 * or when there is no such key). A wrong code is INVALID_CODE with details.attemptsLeft; the fifth
 * wrong try spends the code (TOO_MANY_ATTEMPTS, then for every later try); an expired code is
 * INVALID_CODE (reason CODE_EXPIRED): repeating the registration (same id) sends a new one. Verifying
 * an ACTIVE key answers it as it is; a DELETED one is CONFLICT (KEY_NOT_PENDING).
 */
export async function verifyPixKey(deps: Pick<PixKeyDeps, 'keys' | 'now'>, who: Identity, input: { id: string; code: string }): Promise<PixKeyRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  const load = async () => (await deps.keys.findByIds([id]))[0] ?? null;
  const key = await load();
  requireOperateAccount(who, key);
  const k = key as PixKeyRow;
  if (k.status === 'ACTIVE') return k;
  if (k.status !== 'PENDING_VERIFICATION') throw new DomainError('CONFLICT', 'This key is not waiting for a code.', { reason: 'KEY_NOT_PENDING' });
  if (typeof input.code !== 'string' || !/^\d{6}$/.test(input.code.trim())) throw badInput('The code is 6 digits.', { field: 'code' });
  if (k.otpAttempts >= KEY_CODE_MAX_ATTEMPTS) throw tooManyAttempts();
  if (!k.otpExpiresAt || k.otpExpiresAt.getTime() <= now.getTime()) throw new DomainError('INVALID_CODE', 'The code has expired: repeat the registration to get a new one.', { reason: 'CODE_EXPIRED' });

  const tries = await deps.keys.spendAttempt(id, KEY_CODE_MAX_ATTEMPTS);
  if (tries === null) {
    const current = await load();
    if (current?.status === 'ACTIVE') return current;
    throw tooManyAttempts();
  }
  if (await keyCodeMatches(input.code, k.otpHash)) {
    const activated = await deps.keys.activate(id, now);
    if (activated) return activated;
    const current = await load();
    if (current?.status === 'ACTIVE') return current;
    throw new DomainError('CONFLICT', 'This key is not waiting for a code.', { reason: 'KEY_NOT_PENDING' });
  }
  const attemptsLeft = KEY_CODE_MAX_ATTEMPTS - tries;
  if (attemptsLeft <= 0) throw tooManyAttempts();
  throw new DomainError('INVALID_CODE', undefined, { attemptsLeft });
}
