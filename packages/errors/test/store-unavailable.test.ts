import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { createErrorFormatter, isStoreUnavailable } from '../src/index';

/** An error shaped as a store client throws it (the shapes were read off the real clients with their store stopped). */
const shaped = (fields: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), fields);
const prisma = (code: string, adapterCause?: Record<string, unknown>) => {
  const error = shaped({ code, ...(adapterCause ? { meta: { driverAdapterError: { name: 'DriverAdapterError', cause: adapterCause } } } : {}) }, 'Invalid `prisma.account.findMany()` invocation');
  error.name = 'PrismaClientKnownRequestError';
  return error;
};
const named = (name: string, fields: Record<string, unknown> = {}) => Object.assign(shaped(fields), { name });

describe('isStoreUnavailable', () => {
  it('recognises each store client with its store down or restarting', () => {
    const down = [
      prisma('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }), // Prisma, server stopped
      prisma('P2010', { kind: 'DatabaseNotReachable' }), // a raw query, server stopped
      prisma('P2010', { kind: 'postgres', code: '57P01', originalCode: '57P01' }), // pg_ctl stop -m fast mid-query
      prisma('P2010', { kind: 'postgres', code: '57P03' }), // "the database system is shutting down"
      prisma('P2024'), // no connection from the pool in time
      shaped({ code: '57P01' }, 'terminating connection due to administrator command'), // pg
      shaped({ code: '08006' }), // pg connection failure
      shaped({ code: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:5432'),
      shaped({ code: 'ECONNRESET' }),
      new Error('Client has encountered a connection error and is not queryable'), // pg, a broken client
      new Error('Connection terminated unexpectedly'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"), // ioredis
      new Error('Connection is closed.'),
      named('MaxRetriesPerRequestError'),
      named('MongoServerSelectionError'),
      named('MongoNetworkError'),
      shaped({ code: 'ServiceUnavailable' }, 'Failed to connect to server'), // neo4j
      shaped({ code: 'SessionExpired' }),
      new Error('ledger call failed', { cause: shaped({ code: 'ECONNREFUSED' }) }), // along the cause chain
    ];
    for (const error of down) assert.equal(isStoreUnavailable(error), true, `${error.name}: ${error.message} ${JSON.stringify(error)}`);
  });

  it('leaves every other error alone: constraint, syntax, data, unknown', () => {
    const other = [
      prisma('P2002'), // unique constraint
      prisma('P2010', { kind: 'postgres', code: '42601' }), // syntax error
      prisma('P2010', { kind: 'UniqueConstraintViolation' }),
      shaped({ code: '23505' }, 'duplicate key value violates unique constraint'),
      shaped({ code: '40001' }), // serialization failure: retried by its own code path
      shaped({ code: 'Neo.ClientError.Statement.SyntaxError' }),
      named('MongoServerError', { code: 11000 }),
      new Error('boom'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    ];
    for (const error of other) assert.equal(isStoreUnavailable(error), false, `${error.name}: ${error.message}`);
    for (const value of [undefined, null, 'ECONNREFUSED', 42, {}]) assert.equal(isStoreUnavailable(value), false);
  });

  it('does not loop on a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(isStoreUnavailable(a), false);
  });
});

describe('createErrorFormatter with a store down', () => {
  it('answers SERVICE_UNAVAILABLE (retryable), reports it, and shows nothing of the store', () => {
    const reported: unknown[] = [];
    const format = createErrorFormatter({ report: (e) => reported.push(e), correlationId: () => 'c-9' });
    const error = prisma('P1001', { kind: 'DatabaseNotReachable', host: '10.0.0.7', port: 5432 });
    const out = format({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError(error.message, { originalError: error }));
    assert.deepEqual(out.extensions, { code: 'SERVICE_UNAVAILABLE', correlationId: 'c-9' });
    assert.match(out.message, /try again/);
    assert.doesNotMatch(JSON.stringify(out), /10\.0\.0\.7|5432|prisma|findMany/i);
    assert.equal(reported.length, 1);
  });
});
