import { createHash } from 'node:crypto';
import { canonicalize } from '@baas/ledger-proofs';
import { canonicalJson, requestFingerprint } from '@baas/idempotency';
import type { TransferRequest } from './types';

/**
 * The fingerprint of a transfer request (@baas/idempotency requestFingerprint, operation
 * `ledger.transfer/v2`): a repeated id with the same fingerprint is a replay, with a different one
 * a reused key. The normalised input is a tuple in a fixed order (no key sorting: on the hot path,
 * thousands per batch), metadata canonical JSON; the id is the key, not part of the request.
 */
export function transferFingerprint(r: TransferRequest): string {
  switch (r.kind) {
    case 'SINGLE':
    case 'PENDING': {
      // requestFingerprint('ledger.transfer/v2', [kind, debit, credit, amount, currency, code, timeout, metadata])
      // spelled out, without the generic walk over the tuple (the test holds the two equal).
      const text =
        `["ledger.transfer/v2",[${canonicalJson(r.kind)},${canonicalJson(r.debitAccountId)},${canonicalJson(r.creditAccountId)},"${r.amount}",` +
        `${canonicalJson(r.currency)},${canonicalJson(r.code)},${canonicalJson(r.timeoutSeconds ?? 0)},${canonicalJson(r.metadata ?? null)}]]`;
      return createHash('sha256').update(text).digest('hex');
    }
    case 'POST':
      return requestFingerprint('ledger.transfer/v2', ['POST', r.pendingId, r.amount ?? null, r.metadata ?? null]);
    default:
      return requestFingerprint('ledger.transfer/v2', [r.kind, r.pendingId, r.metadata ?? null]);
  }
}

/**
 * The request hash transfers stored before `ledger.transfer/v2` carry (SHA-256 of `v1|...` fields).
 * Accepted on replay only, as @baas/idempotency's acceptedHashes do, so a retry spanning the
 * upgrade still replays; never written. Computed only when a stored hash differs from the new one.
 */
export function legacyTransferRequestHash(r: TransferRequest): string {
  let text: string;
  switch (r.kind) {
    case 'SINGLE':
    case 'PENDING':
      text = `v1|${r.kind}|${r.debitAccountId}|${r.creditAccountId}|${r.amount}|${r.currency}|${r.code}|${r.timeoutSeconds ?? 0}`;
      break;
    case 'POST':
      text = `v1|POST|${r.pendingId}|${r.amount ?? ''}`;
      break;
    default:
      text = `v1|${r.kind}|${r.pendingId}`;
  }
  if (r.metadata) text += `|${canonicalize(r.metadata as never)}`;
  return createHash('sha256').update(text).digest('hex');
}

/** Whether a stored transfer's hash is this request's (its fingerprint, or the hash written before it). */
export function sameTransferRequest(storedHash: string, fingerprint: string, request: TransferRequest): boolean {
  return storedHash === fingerprint || storedHash === legacyTransferRequestHash(request);
}
