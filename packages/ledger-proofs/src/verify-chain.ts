import { HASH_SIZE, isHash, isWellFormedText, sameBytes } from './bytes';
import { chainHash } from './chain-hash';
import { LedgerProofError } from './errors';

/** One stored journal entry as read back from the database. */
export type ChainEntry = {
  seq: bigint | number;
  prevHash: Buffer;
  hash: Buffer;
  content: string;
};

export type VerifyChainOptions = {
  /** The prevHash the first entry must carry (the stored hash of entry firstSeq - 1). */
  expectedPrevHash?: Buffer;
  /** The seq the first entry must carry; without it the first entry's own seq starts the run. */
  firstSeq?: bigint;
};

/** Why a chain failed; every entry with seq < firstBadSeq was checked and is fine. */
export type ChainFailureReason = 'hash' | 'link' | 'gap';

export type VerifyChainResult =
  | { ok: true; checked: number }
  | { ok: false; firstBadSeq: bigint; reason: ChainFailureReason };

// Private copy: callers can write into the exported GENESIS_HASH Buffer, and that must not weaken verification.
const GENESIS = Buffer.alloc(HASH_SIZE);

/**
 * Checks a run of consecutive journal entries and reports the FIRST bad sequence number.
 *
 * Per entry, in this order:
 * - 'gap': seq must be the previous seq + 1 (the first must equal opts.firstSeq when given, and be ≥ 1);
 *   firstBadSeq is then the seq that was expected and is missing, so "all seq < firstBadSeq verified" holds.
 * - 'link': prevHash must equal the previous entry's stored hash; for the first entry, opts.expectedPrevHash when
 *   given, else GENESIS_HASH when its seq is 1, else it is taken on trust (a segment checked without its anchor).
 * - 'hash': hash must equal chainHash(prevHash, content) (a lone surrogate in content counts as a bad hash).
 *
 * A rewritten last entry whose hash was recomputed is only caught against a signed checkpoint's chainHead.
 * An empty run is ok with checked 0. Throws INVALID_SEQ for a seq that is not an integer, INVALID_HASH for a
 * malformed expectedPrevHash.
 */
export function verifyChain(entries: readonly ChainEntry[], opts: VerifyChainOptions = {}): VerifyChainResult {
  if (opts.expectedPrevHash !== undefined && !isHash(opts.expectedPrevHash)) {
    throw new LedgerProofError('INVALID_HASH', 'expectedPrevHash must be a 32-byte Buffer');
  }
  if (opts.firstSeq !== undefined && (typeof opts.firstSeq !== 'bigint' || opts.firstSeq < 1n)) {
    throw new LedgerProofError('INVALID_SEQ', 'firstSeq must be a bigint ≥ 1');
  }
  let expectedSeq = opts.firstSeq;
  let expectedPrev: Uint8Array | undefined = opts.expectedPrevHash;
  let checked = 0;
  for (const entry of entries) {
    const seq = toSeq(entry.seq);
    if (expectedSeq === undefined) {
      if (seq < 1n) return { ok: false, firstBadSeq: seq, reason: 'gap' };
      expectedSeq = seq;
    }
    if (seq !== expectedSeq) return { ok: false, firstBadSeq: expectedSeq, reason: 'gap' };
    if (checked === 0 && expectedPrev === undefined && seq === 1n) expectedPrev = GENESIS;
    if (!isHash(entry.prevHash) || (expectedPrev !== undefined && !sameBytes(expectedPrev, entry.prevHash))) {
      return { ok: false, firstBadSeq: seq, reason: 'link' };
    }
    if (!isHash(entry.hash) || !hashMatches(entry)) return { ok: false, firstBadSeq: seq, reason: 'hash' };
    expectedPrev = entry.hash;
    expectedSeq = seq + 1n;
    checked++;
  }
  return { ok: true, checked };
}

function hashMatches(entry: ChainEntry): boolean {
  if (typeof entry.content !== 'string' || !isWellFormedText(entry.content)) return false;
  return sameBytes(chainHash(entry.prevHash, entry.content), entry.hash);
}

function toSeq(seq: bigint | number): bigint {
  if (typeof seq === 'bigint') return seq;
  if (typeof seq === 'number' && Number.isSafeInteger(seq)) return BigInt(seq);
  throw new LedgerProofError('INVALID_SEQ', `seq must be a bigint or a safe integer, got ${String(seq)}`);
}
