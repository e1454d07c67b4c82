import { MongoBulkWriteError, MongoServerError } from 'mongodb';

const DUPLICATE_KEY = 11000;
// Per-document codes that say "try again later" rather than "this document can never be stored".
const TRANSIENT_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

export type WriteErrorClass = {
  /** Indexes (in the batch) of documents to write again later. */
  retry: number[];
  /** Indexes of documents MongoDB will never accept (they are dropped). */
  rejected: number[];
  /** Server error codes for the rejected ones, for the log line. */
  rejectedCodes: number[];
};

/**
 * Sorts out a failed `insertMany(batch, { ordered: false })`. A duplicate `_id` means an earlier
 * attempt already stored the event (the acknowledgement was lost, or the producer repeated an
 * idempotent id), so it counts as written. Anything that is not a per-document error (network,
 * server selection, write concern) retries the whole batch: retried events already stored then
 * come back as duplicates, so nothing is ever stored twice.
 */
export function classifyWriteError(err: unknown, batchLength: number): WriteErrorClass {
  const all = Array.from({ length: batchLength }, (_, i) => i);
  if (err instanceof MongoBulkWriteError) {
    const writeErrors = [err.writeErrors].flat();
    if (writeErrors.length === 0 || err.err) return { retry: all, rejected: [], rejectedCodes: [] };
    const out: WriteErrorClass = { retry: [], rejected: [], rejectedCodes: [] };
    for (const we of writeErrors) {
      if (we.code === DUPLICATE_KEY) continue;
      if (TRANSIENT_CODES.has(we.code)) out.retry.push(we.index);
      else {
        out.rejected.push(we.index);
        out.rejectedCodes.push(we.code);
      }
    }
    return out;
  }
  // A single-document failure reported without the bulk wrapper.
  if (err instanceof MongoServerError && err.code === DUPLICATE_KEY && batchLength === 1) return { retry: [], rejected: [], rejectedCodes: [] };
  return { retry: all, rejected: [], rejectedCodes: [] };
}
