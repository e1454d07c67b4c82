import type { Identity } from '@baas/auth';
import { checkReplay } from '@baas/idempotency';
import { requireInternal } from '@baas/server';
import { accountFingerprint, accountRequestError, legacyAccountRequestHash, type CreateAccountRequest, type CreateAccountResult } from '../domain/ledger-account';
import type { LedgerAccountStore } from '../store/ledger-account-store';

export type CreateLedgerAccountsDeps = { accounts: Pick<LedgerAccountStore, 'insertMany' | 'requestHashes'> };

/** @baas/idempotency's replay rule: the stored hash is this request's fingerprint (or the hash written before it). */
function replays(stored: string | undefined, { hash, ...request }: CreateAccountRequest & { hash: string }): boolean {
  try {
    checkReplay({ hash, acceptedHashes: [legacyAccountRequestHash(request)], storedHash: (h: string | undefined) => h, scope: 'global' }, stored);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'IDEMPOTENCY_KEY_REUSED') return false;
    throw error;
  }
}

/**
 * Creates ledger accounts, idempotently by id: one INSERT ... ON CONFLICT DO NOTHING, then the
 * rows that already existed are compared with the request (same request: a replay; different:
 * IDEMPOTENCY_KEY_REUSED). Accounts start at zero; only transfers change their counters. Internal
 * services and operators only. (Ids are global, chosen by the internal caller: scope 'global'.)
 */
export async function createLedgerAccounts(deps: CreateLedgerAccountsDeps, identity: Identity | null, args: { accounts: CreateAccountRequest[] }): Promise<CreateAccountResult[]> {
  requireInternal(identity);
  const requests = args.accounts;
  const results = new Map<string, CreateAccountResult>();
  const valid: (CreateAccountRequest & { hash: string })[] = [];
  for (const r of requests) {
    const error = accountRequestError(r);
    if (error) results.set(r.id, { id: r.id, status: 'FAILED', error });
    else valid.push({ ...r, hash: accountFingerprint(r) });
  }
  if (valid.length > 0) {
    const created = await deps.accounts.insertMany(valid);
    const hashes = await deps.accounts.requestHashes(valid.filter((r) => !created.has(r.id)).map((r) => r.id));
    for (const r of valid) {
      if (created.has(r.id)) results.set(r.id, { id: r.id, status: 'CREATED' });
      else results.set(r.id, replays(hashes.get(r.id), r) ? { id: r.id, status: 'REPLAYED' } : { id: r.id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED' });
    }
  }
  return requests.map((r) => results.get(r.id)!);
}
