import { createHash } from 'node:crypto';
import { canonicalize } from '@baas/ledger-proofs';
import type { TransferRequest } from './types';

/**
 * SHA-256 of the request's normalised form: a repeated id with the same hash is a replay, with a
 * different one a reused key. Fields in a fixed order, separated by a character none of them can
 * hold (ids are UUIDs, amounts and codes numbers, currencies letters); metadata canonical JSON.
 * On the hot path: thousands per batch.
 */
export function transferRequestHash(r: TransferRequest): string {
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
