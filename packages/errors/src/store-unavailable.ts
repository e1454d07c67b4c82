/**
 * Recognises the errors a store client raises while its store is down or restarting: PostgreSQL
 * (pg and Prisma's driver adapter), Redis (ioredis), MongoDB and Neo4j drivers, and the sockets
 * under them. Structural checks only (no driver is imported), along the `cause` chain.
 */

/** SQLSTATE class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections). */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
/** Prisma: can't reach the server, timed out reaching it, server closed the connection, pool timeout. */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Kinds of Prisma's DriverAdapterError that mean the connection, not the query. */
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ECONNABORTED']);
const MONGO_NAMES = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError']);
const NEO4J_CODES = new Set(['ServiceUnavailable', 'SessionExpired']);
/** Errors that carry no code: pg's broken client and ended connection, ioredis without a connection. */
const MESSAGES = [/Connection terminated unexpectedly/, /connection error and is not queryable/, /Stream isn't writeable and enableOfflineQueue/, /^Connection is closed\.$/];
const IOREDIS_NAMES = new Set(['MaxRetriesPerRequestError']);

type Shape = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } } };

function matches(error: Shape): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const name = typeof error.name === 'string' ? error.name : '';
  if (code && (PG_UNAVAILABLE.test(code) || SOCKET_CODES.has(code) || NEO4J_CODES.has(code))) return true;
  if (code && name.startsWith('PrismaClient') && PRISMA_UNAVAILABLE.has(code)) return true;
  const adapter = error.meta?.driverAdapterError?.cause;
  if (adapter) {
    if (typeof adapter.kind === 'string' && ADAPTER_UNAVAILABLE.has(adapter.kind)) return true;
    const sqlState = adapter.originalCode ?? adapter.code;
    if (typeof sqlState === 'string' && PG_UNAVAILABLE.test(sqlState)) return true;
  }
  if (MONGO_NAMES.has(name) || IOREDIS_NAMES.has(name)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return MESSAGES.some((pattern) => pattern.test(message));
}

/** True when `error` (or one of its causes) says a store could not be reached now: worth a retry, not a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    if (matches(current as Shape)) return true;
    current = (current as Shape).cause;
  }
  return false;
}
