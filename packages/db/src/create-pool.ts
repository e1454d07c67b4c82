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
 * A pg pool for `connectionString`. An idle client's error is routed to `onError` (default:
 * ignored) instead of crashing the process, since pg emits it outside any query.
 */
export function createPool(connectionString: string, opts: CreatePoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    ...(opts.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: opts.idleTimeoutMillis } : {}),
    ...(opts.connectionTimeoutMillis !== undefined ? { connectionTimeoutMillis: opts.connectionTimeoutMillis } : {}),
    ...(opts.applicationName !== undefined ? { application_name: opts.applicationName } : {}),
  });
  pool.on('error', opts.onError ?? (() => {}));
  return pool;
}
