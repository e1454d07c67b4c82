import type { Identity } from '@baas/auth';
import { requireOperateAccount } from '../permissions';
import type { PixKeyRow } from '../store/pix-key-store';
import { requireUuid, type PixKeyDeps } from './register-pix-key';

/**
 * Deletes a key (pending or active): its value is free again at once, open claims on it are
 * cancelled (the claimer may simply register it now), payments.pix.key.deleted is published. The
 * caller must operate the key's account (FORBIDDEN otherwise, or when there is no such key).
 * Deleting a DELETED key answers it as it is.
 */
export async function deletePixKey(deps: Pick<PixKeyDeps, 'keys' | 'now'>, who: Identity, input: { id: string }): Promise<PixKeyRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  const load = async () => (await deps.keys.findByIds([id]))[0] ?? null;
  const key = await load();
  requireOperateAccount(who, key);
  if ((key as PixKeyRow).status === 'DELETED') return key as PixKeyRow;
  return (await deps.keys.deleteKey(id, now)) ?? ((await load()) as PixKeyRow);
}
