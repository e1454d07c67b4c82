import { createHash } from 'node:crypto';
import type pg from 'pg';

/** The channel the ledger writer notifies after each committed batch (payload: its last seq). */
export const OUTBOX_CHANNEL = 'ledger_outbox';

/**
 * First key of the two-int advisory lock ("LOBR"). The two-int form lives in a different key space
 * from the single-bigint locks the ledger writer takes, so the relay lock can never collide with them.
 */
const RELAY_LOCK_CLASS = 0x4c4f4252;

/** The dedicated connection of the relay that holds the lock for its name. */
export type RelaySession = {
  client: pg.PoolClient;
  /** The relay's cursor as stored when the lock was taken. */
  lastSeq: bigint;
  /** Set once the connection failed: the lock may be gone, so nothing more may be published on it. */
  broken: boolean;
  /** Closes the connection, which also ends the lock and the LISTEN. */
  close(): void;
};

export type AcquireRelaySessionOptions = {
  pool: pg.Pool;
  relayName: string;
  /** Called on each NOTIFY of the outbox channel. */
  onNotify: () => void;
  /** Called once when the connection fails. */
  onBroken: (error: Error) => void;
};

/**
 * Takes the session-level advisory lock of `relayName` on a connection of its own, LISTENs on the
 * outbox channel and reads (creating at 0) the relay's cursor. Returns undefined when another
 * session holds the lock. The lock lasts as long as the connection, so a relay that dies (process
 * or connection) hands over to a standby without anyone having to unlock.
 */
export async function acquireRelaySession(opts: AcquireRelaySessionOptions): Promise<RelaySession | undefined> {
  const client = await opts.pool.connect();
  let session: RelaySession | undefined;
  // A checked-out client's error is emitted on the client: without a listener it would crash the process.
  const onError = (error: Error) => {
    if (!session || session.broken) return;
    session.broken = true;
    opts.onBroken(error);
  };
  client.on('error', onError);
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
      RELAY_LOCK_CLASS,
      lockKey(opts.relayName),
    ]);
    if (rows[0]?.locked !== true) {
      client.off('error', onError);
      client.release();
      return undefined;
    }
    client.on('notification', (msg) => {
      if (msg.channel === OUTBOX_CHANNEL) opts.onNotify();
    });
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    await client.query('INSERT INTO ledger.outbox_cursor (relay, last_seq) VALUES ($1, 0) ON CONFLICT (relay) DO NOTHING', [opts.relayName]);
    const cursor = await client.query<{ last_seq: string }>('SELECT last_seq::text AS last_seq FROM ledger.outbox_cursor WHERE relay = $1', [
      opts.relayName,
    ]);
    const lastSeq = BigInt(cursor.rows[0]?.last_seq ?? '0');
    let closed = false;
    session = {
      client,
      lastSeq,
      broken: false,
      close() {
        if (closed) return;
        closed = true;
        client.removeAllListeners('notification');
        // Destroy rather than return to the pool: a pooled connection would keep the lock and the LISTEN.
        client.release(true);
      },
    };
    return session;
  } catch (error) {
    client.removeAllListeners('notification');
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

/** A stable 32-bit key per relay name (the same in every process, unlike an object hash). */
function lockKey(relayName: string): number {
  return createHash('sha256').update(relayName).digest().readInt32BE(0);
}
