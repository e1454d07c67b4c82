import pg from 'pg';

export interface CreatePoolOptions {
  /** Most connections open at once (pg default 10). */
  max?: number;
  idleTimeoutMillis?: number;
  connectionTimeoutMillis?: number;
  /** Shown in pg_stat_activity, which tells the subgraphs' connections apart. */
  applicationName?: string;
  /** Called when an idle client fails (e.g. the server restarted); the pool replaces it. */
  onError?: (error: Error) => void;
}

/**
 * A pg pool for `connectionString`. A client's error event (idle or checked out) is routed to
 * `onError` (default: ignored) instead of crashing the process, since pg emits it outside any query.
 */
export function createPool(connectionString: string, opts: CreatePoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    ...(opts.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: opts.idleTimeoutMillis } : {}),
    ...(opts.connectionTimeoutMillis !== undefined ? { connectionTimeoutMillis: opts.connectionTimeoutMillis } : {}),
    ...(opts.applicationName !== undefined ? { application_name: opts.applicationName } : {}),
  });
  const onError = opts.onError ?? (() => {});
  pool.on('error', onError);
  // A checked-out client has no listener of the pool's (pg-pool removes its idle listener on
  // checkout), and pg emits 'error' when the server goes away (a restart: "terminating connection
  // due to administrator command", or the socket ends), even while a query is failing with the
  // same error. Unlistened, that event would end the process; the query's own rejection is what
  // the caller handles, and a broken client is released with an error (discarded).
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}
