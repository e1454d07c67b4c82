import type { Identity } from '@baas/auth';
import { verifyChain } from '@baas/ledger-proofs';
import { requireInternal } from '@baas/server';
import { journalContent } from '../domain/journal';
import type { JournalStore } from '../store/journal-store';
import { transferFromRow, type TransferRow } from '../store/transfer-store';

export type ChainVerificationResult = Awaited<ReturnType<typeof verifyLedgerChain>>;

/**
 * Checks the hash chain from `fromSeq` to `toSeq` (default: the whole journal), in chunks, and that
 * every entry still describes its transfer row. Reasons: hash (an entry's content changed), link
 * (the chain is broken), gap (an entry is missing), mismatch (a transfer row no longer matches its
 * entry). Internal services and operators only.
 */
export async function verifyLedgerChain(deps: { journal: JournalStore }, identity: Identity | null, range: { fromSeq?: bigint; toSeq?: bigint } = {}) {
  requireInternal(identity);
  const from = range.fromSeq ?? 1n;
  const to = range.toSeq ?? (await deps.journal.lastSeq());
  if (to < from) return { ok: true as const, fromSeq: from, toSeq: to, checked: 0 };
  const chunk = 10_000n;
  let expectedPrevHash: Buffer | undefined;
  if (from > 1n) {
    expectedPrevHash = await deps.journal.hashAt(from - 1n);
    if (!expectedPrevHash) return { ok: false as const, fromSeq: from, toSeq: to, checked: 0, firstBadSeq: from - 1n, reason: 'gap' };
  }
  let checked = 0;
  for (let start = from; start <= to; start += chunk) {
    const end = start + chunk - 1n < to ? start + chunk - 1n : to;
    // Each entry with the transfer row it commits: the stored content must also still describe the
    // row, so a transfer edited in place (not only its journal entry) is found too.
    const rows = await deps.journal.entriesWithTransfers(start, end);
    const entries = rows.map((r) => ({ seq: BigInt(r.seq), content: r.content, prevHash: r.prev_hash, hash: r.hash }));
    if (entries.length === 0 || entries[0]!.seq !== start) {
      return { ok: false as const, fromSeq: from, toSeq: to, checked, firstBadSeq: start, reason: 'gap' };
    }
    const result = verifyChain(entries, { expectedPrevHash, firstSeq: start });
    const mismatch = rows.find((r) => !r.id || journalContent(transferFromRow(r as TransferRow)) !== r.content);
    const mismatchSeq = mismatch ? BigInt(mismatch.seq) : undefined;
    if (mismatchSeq !== undefined && (result.ok || mismatchSeq < result.firstBadSeq)) {
      return { ok: false as const, fromSeq: from, toSeq: to, checked: checked + Number(mismatchSeq - start), firstBadSeq: mismatchSeq, reason: 'mismatch' };
    }
    if (!result.ok) return { ok: false as const, fromSeq: from, toSeq: to, checked: checked + Number(result.firstBadSeq - start), firstBadSeq: result.firstBadSeq, reason: result.reason };
    if (entries[entries.length - 1]!.seq !== end) {
      return { ok: false as const, fromSeq: from, toSeq: to, checked: checked + entries.length, firstBadSeq: entries[entries.length - 1]!.seq + 1n, reason: 'gap' };
    }
    checked += entries.length;
    expectedPrevHash = entries[entries.length - 1]!.hash;
  }
  return { ok: true as const, fromSeq: from, toSeq: to, checked };
}
