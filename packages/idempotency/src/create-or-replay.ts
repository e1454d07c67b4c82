import { DomainError } from '@baas/errors';
import { isSerializationConflict, isUniqueViolation } from './store-conflicts';

export type IdempotentOutcome<Row> = { status: 'CREATED' | 'REPLAYED'; row: Row };

export type CreateOrReplayOptions<Row, Tx> = {
  /** The request's fingerprint (requestFingerprint), stored with the row by `insert`. */
  hash: string;
  /** Older fingerprints of the same request that stored rows may carry (legacyRequestHash): they replay too. */
  acceptedHashes?: readonly (string | null | undefined)[];
  /** The fingerprint a stored row carries. */
  storedHash: (row: Row) => string | null | undefined;
  /** The row stored under the idempotency key, if any (inside `tx` when there is a transaction). */
  find: (tx: Tx) => Promise<Row | null | undefined>;
  /**
   * Writes the row (and the rest of the effect) under the key. Returns the row, or null when an
   * `INSERT ... ON CONFLICT DO NOTHING` found the key taken; a unique violation may also be thrown.
   */
  insert: (tx: Tx) => Promise<Row | null | undefined>;
  /**
   * Whether a stored row is within the caller's scope (its tenant; its customer). A row outside
   * it is never replayed: `outOfScope()` is thrown instead, before its fingerprint is looked at.
   * Required where keys are client-chosen and rows belong to tenants (`'global'` otherwise, said
   * out loud: operators' keys, keys whose fingerprint already holds the tenant).
   */
  scope: ((row: Row) => boolean) | 'global';
  /** What a row outside the scope answers; default IDEMPOTENCY_KEY_REUSED, which tells nothing about the row. */
  outOfScope?: () => Error;
  /** Runs `find` and `insert` in one transaction (Prisma's `$transaction`, a pg BEGIN/COMMIT helper); default none. */
  transaction?: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
  /**
   * Insert before looking (the insert must then report a taken key: ON CONFLICT DO NOTHING, or a
   * unique violation outside a transaction): one statement fewer when new keys are the common case.
   */
  insertFirst?: boolean;
  /** Tries of the whole transaction on serialization failures and deadlocks; default 3. */
  attempts?: number;
};

/**
 * Create-or-replay, the one idempotency contract of every creating mutation (Formance's forgeLog):
 * inside the caller's transaction the key is looked up; a stored row with the same fingerprint is
 * REPLAYED, one with another fingerprint is IDEMPOTENCY_KEY_REUSED, one of another scope (tenant)
 * is refused without being shown; otherwise the row is inserted (CREATED). A concurrent request
 * with the same key that commits first makes the insert find the key taken (ON CONFLICT DO NOTHING
 * or a unique violation): the winner is read again and the same rule applies, so N concurrent
 * calls make one row and N-1 replays. A unique violation with no row under the key is another
 * unique value (a slug, a document) and is rethrown for the caller to name. Serialization failures
 * and deadlocks run the whole transaction again.
 */
export async function createOrReplay<Row, Tx = undefined>(opts: CreateOrReplayOptions<Row, Tx>): Promise<IdempotentOutcome<Row>> {
  const run = opts.transaction ?? (<T>(work: (tx: Tx) => Promise<T>) => work(undefined as Tx));
  const attempts = Math.max(1, opts.attempts ?? 3);
  const replay = (row: Row): IdempotentOutcome<Row> => ({ status: 'REPLAYED', row: checkReplay(opts, row) });
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(async (tx): Promise<IdempotentOutcome<Row>> => {
        const existing = opts.insertFirst ? null : await opts.find(tx);
        if (existing) return replay(existing);
        const created = await opts.insert(tx);
        if (created) return { status: 'CREATED', row: created };
        // ON CONFLICT DO NOTHING: the winner committed, so it is visible to this statement's successor.
        const winner = await opts.find(tx);
        if (winner) return replay(winner);
        throw new Error('createOrReplay: the insert found the key taken but no row is stored under it');
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        // The transaction (if any) is aborted: read the winner in a new one.
        const winner = await run((tx) => opts.find(tx));
        if (winner) return replay(winner);
        throw error;
      }
      if (attempt < attempts && isSerializationConflict(error)) continue;
      throw error;
    }
  }
}

/** The replay rule alone: the row, when it is in scope and carries this request's fingerprint. */
export function checkReplay<Row>(opts: Pick<CreateOrReplayOptions<Row, never>, 'hash' | 'acceptedHashes' | 'storedHash' | 'scope' | 'outOfScope'>, row: Row): Row {
  if (opts.scope !== 'global' && !opts.scope(row)) throw opts.outOfScope?.() ?? new DomainError('IDEMPOTENCY_KEY_REUSED');
  const stored = opts.storedHash(row);
  const same = stored != null && (stored === opts.hash || (opts.acceptedHashes ?? []).includes(stored));
  if (!same) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return row;
}
