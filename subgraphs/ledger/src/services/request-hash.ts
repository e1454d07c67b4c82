import { createHash } from 'node:crypto';
import { canonicalize } from '@baas/ledger-proofs';
import type { TransferRequest } from './types';

/**
 * SHA-256 of the request's canonical form: a repeated id with the same hash is a replay, with a
 * different one a reused key. Absent optional fields and explicit nulls hash the same.
 */
export function transferRequestHash(request: TransferRequest): string {
  const normalised: Record<string, unknown> = { kind: request.kind };
  for (const [key, value] of Object.entries(request)) {
    if (key === 'id' || value === undefined || value === null) continue;
    if (key === 'timeoutSeconds' && value === 0) continue;
    normalised[key] = value;
  }
  return createHash('sha256').update(canonicalize(normalised as never)).digest('hex');
}
