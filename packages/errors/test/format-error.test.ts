import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { DomainError, createErrorFormatter, codedGraphQLError } from '../src/index';

const wrap = (original: Error) => new GraphQLError(original.message, { originalError: original });

describe('createErrorFormatter', () => {
  it('keeps a domain error message, code and details', () => {
    const format = createErrorFormatter({ correlationId: () => 'c-1' });
    const err = new DomainError('INSUFFICIENT_FUNDS', 'Not enough money.', { accountId: 'a' });
    const out = format({ message: err.message, path: ['x'] }, wrap(err));
    assert.equal(out.message, 'Not enough money.');
    assert.deepEqual(out.extensions, { code: 'INSUFFICIENT_FUNDS', details: { accountId: 'a' }, correlationId: 'c-1' });
    assert.deepEqual(out.path, ['x']);
  });

  it('hides unexpected errors: no stack, no SQL, reported once', () => {
    const reported: unknown[] = [];
    const format = createErrorFormatter({ report: (e) => reported.push(e), correlationId: () => 'c-2' });
    const sql = new Error('duplicate key value violates unique constraint "customer_pkey" SELECT * FROM secret');
    const out = format({ message: sql.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, wrap(sql));
    assert.equal(out.message, 'Internal server error.');
    assert.deepEqual(out.extensions, { code: 'INTERNAL_SERVER_ERROR', correlationId: 'c-2' });
    assert.equal(reported.length, 1);
    assert.doesNotMatch(JSON.stringify(out), /SELECT|stack|customer_pkey/);
  });

  it('passes GraphQL validation errors and coded plugin errors through', () => {
    const format = createErrorFormatter();
    const v = format({ message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('Cannot query field "x"'));
    assert.equal(v.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    const r = codedGraphQLError('RATE_LIMITED', undefined, { retryAfterSeconds: 3 });
    const out = format({ message: r.message, extensions: r.extensions }, r);
    assert.deepEqual(out.extensions, { code: 'RATE_LIMITED', retryAfterSeconds: 3 });
  });

  it('does not trust an unknown code on a thrown error', () => {
    const format = createErrorFormatter();
    const out = format({ message: 'boom', extensions: { code: 'SOMETHING_ODD' } }, new Error('boom'));
    assert.equal(out.extensions?.code, 'INTERNAL_SERVER_ERROR');
  });
});
