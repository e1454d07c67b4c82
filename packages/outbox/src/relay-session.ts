import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { OutboxStatements } from './outbox-descriptor';

/**
 * First key of the two-int advisory lock ("LOBR"). The two-int form lives in a different key space
 * from single-bigint locks (the ledger writer's), so a relay lock never collides with them.
 */
export const RELAY_LOCK_CLASS = 0x4c4f4252;

/** The dedicated connection of the relay that holds the lock for its outbox and name. */
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
  /** The outbox table: relays of different outboxes never exclude each other. */
  table: string;
  relayName: string;
  statements: OutboxStatements;
  /** LISTENed to when set. */
  channel: string | undefined;
  /** Called on each NOTIFY of the channel. */
  onNotify: () => void;
  /** Called once when the connection fails. */
  onBroken: (error: Error) => void;
};

/**
 * Takes the session-level advisory lock of (outbox, relay name) on a connection of its own, LISTENs
 * on the outbox channel and reads (creating at 0) the relay's cursor. Returns undefined when another
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
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [RELAY_LOCK_CLASS, relayLockKey(opts.table, opts.relayName)]);
    if (rows[0]?.locked !== true) {
      client.off('error', onError);
      client.release();
      return undefined;
    }
    if (opts.channel) {
      const channel = opts.channel;
      client.on('notification', (msg) => {
        if (msg.channel === channel) opts.onNotify();
      });
      await client.query(`LISTEN "${channel}"`);
    }
    await client.query(opts.statements.ensureCursor, [opts.relayName]);
    const cursor = await client.query<{ last_seq: string }>(opts.statements.readCursor, [opts.relayName]);
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

/** A stable 32-bit key per (outbox table, relay name): the same in every process, unlike an object hash. */
export function relayLockKey(table: string, relayName: string): number {
  return createHash('sha256').update(`${table}\u0000${relayName}`).digest().readInt32BE(0);
}
