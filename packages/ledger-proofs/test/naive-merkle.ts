// An independent, deliberately naive transcription of the RFC 9162 §2.1 definitions (recursion over sliced copies),
// used only as a reference oracle for the iterative implementation. It shares no code with src/.
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

export const naiveLeafHash = (data: Uint8Array): Buffer => sha256(Uint8Array.of(0), data);
const naiveNodeHash = (l: Buffer, r: Buffer): Buffer => sha256(Uint8Array.of(1), l, r);

// Largest power of two smaller than n (n > 1).
const split = (n: number): number => {
  let k = 1;
  while (k < n) k <<= 1;
  return k >> 1;
};

/** MTH(D[n]) over leaf DATA (not hashes), exactly as the RFC states it. */
export function naiveMth(data: readonly Uint8Array[]): Buffer {
  if (data.length === 0) return sha256();
  if (data.length === 1) return naiveLeafHash(data[0]!);
  const k = split(data.length);
  return naiveNodeHash(naiveMth(data.slice(0, k)), naiveMth(data.slice(k)));
}

/** PATH(m, D[n]). */
export function naivePath(m: number, data: readonly Uint8Array[]): Buffer[] {
  if (data.length <= 1) return [];
  const k = split(data.length);
  if (m < k) return [...naivePath(m, data.slice(0, k)), naiveMth(data.slice(k))];
  return [...naivePath(m - k, data.slice(k)), naiveMth(data.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function naiveConsistency(m: number, data: readonly Uint8Array[]): Buffer[] {
  const subproof = (mm: number, d: readonly Uint8Array[], b: boolean): Buffer[] => {
    if (mm === d.length) return b ? [] : [naiveMth(d)];
    const k = split(d.length);
    if (mm <= k) return [...subproof(mm, d.slice(0, k), b), naiveMth(d.slice(k))];
    return [...subproof(mm - k, d.slice(k), false), naiveMth(d.slice(0, k))];
  };
  return m === 0 ? [] : subproof(m, data, true);
}
