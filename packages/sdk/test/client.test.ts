// The SDK's runtime client against a fake fetch: typed data, bearer tokens from a provider, BaasError with
// extensions.code, automatic persisted queries (hash first, full text when the gateway asks), and the
// SDK's list of error codes kept in step with the platform's table (@baas/errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { ERROR_CODES } from '@baas/errors';
import { AccountByIdDocument, BAAS_ERROR_CODES, BaasError, createBaasClient, isBaasError, MeDocument } from '../src/index';

type Call = { headers: Record<string, string>; body: Record<string, unknown> };

function fakeFetch(answer: (body: Record<string, unknown>, call: number) => { status?: number; body: unknown }) {
  const calls: Call[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    calls.push({ headers: init.headers as Record<string, string>, body });
    const reply = answer(body, calls.length);
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const account = { id: 'acc_1', currency: 'BRL', branch: '0001', number: '123', checkDigit: '4', status: 'ACTIVE', balance: null };

test('request returns the typed data and sends the token, operation name and variables', async () => {
  const { fetch, calls } = fakeFetch(() => ({ body: { data: { account } } }));
  let tokens = 0;
  const client = createBaasClient({ endpoint: 'http://api.test/graphql', token: async () => `t${++tokens}`, fetch, headers: { 'x-tenant': 'a' } });
  const data = await client.request(AccountByIdDocument, { id: 'acc_1' });
  assert.equal(data.account?.id, 'acc_1');
  assert.equal(calls[0]!.headers.authorization, 'Bearer t1');
  assert.equal(calls[0]!.headers['x-tenant'], 'a');
  assert.deepEqual(calls[0]!.body, { operationName: 'AccountById', variables: { id: 'acc_1' }, query: print(AccountByIdDocument) });
  await client.request(MeDocument);
  assert.equal(calls[1]!.headers.authorization, 'Bearer t2');
  assert.deepEqual(calls[1]!.body.variables, {});
});

test('errors throw a BaasError carrying extensions.code, the HTTP status and partial data', async () => {
  const { fetch } = fakeFetch(() => ({ status: 200, body: { data: null, errors: [{ message: 'Insufficient funds.', extensions: { code: 'INSUFFICIENT_FUNDS', correlationId: 'c1' } }] } }));
  const client = createBaasClient({ endpoint: 'http://api.test/graphql', token: 'tok', fetch });
  const error = await client.request(AccountByIdDocument, { id: 'x' }).catch((e: unknown) => e);
  assert.ok(isBaasError(error, 'INSUFFICIENT_FUNDS'));
  assert.equal(error.message, 'Insufficient funds.');
  assert.equal(error.extensions.correlationId, 'c1');
  assert.equal(error.status, 200);
  const unreachable = createBaasClient({ endpoint: 'http://api.test/graphql', fetch: (async () => { throw new TypeError('fetch failed'); }) as typeof globalThis.fetch });
  const network = await unreachable.request(MeDocument).catch((e: unknown) => e);
  assert.ok(network instanceof BaasError && network.code === 'NETWORK_ERROR' && network.status === 0);
  const unauthenticated = createBaasClient({ endpoint: 'http://api.test/graphql', fetch: fakeFetch(() => ({ status: 401, body: { errors: [{ message: 'Authentication is required.', extensions: { code: 'UNAUTHENTICATED' } }] } })).fetch });
  const denied = await unauthenticated.request(MeDocument).catch((e: unknown) => e);
  assert.ok(isBaasError(denied, 'UNAUTHENTICATED') && denied.status === 401);
});

test('persisted queries: the hash alone first, the full text once when the gateway does not know it', async () => {
  const known = new Set<string>();
  const { fetch, calls } = fakeFetch((body) => {
    const hash = (body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
    if (typeof body.query === 'string') known.add(hash);
    if (!known.has(hash)) return { body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } };
    return { body: { data: { account } } };
  });
  const client = createBaasClient({ endpoint: 'http://api.test/graphql', fetch, persistedQueries: true });
  await client.request(AccountByIdDocument, { id: 'acc_1' });
  await client.request(AccountByIdDocument, { id: 'acc_2' });
  const expected = createHash('sha256').update(print(AccountByIdDocument)).digest('hex');
  assert.deepEqual(calls.map((c) => [typeof c.body.query, (c.body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash]), [
    ['undefined', expected],
    ['string', expected],
    ['undefined', expected],
  ]);
});

test('persisted queries not supported: the client falls back to the full text', async () => {
  const { fetch, calls } = fakeFetch((body) =>
    body.query ? { body: { data: { account } } } : { body: { errors: [{ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] } },
  );
  const client = createBaasClient({ endpoint: 'http://api.test/graphql', fetch, persistedQueries: true });
  assert.equal((await client.request(AccountByIdDocument, { id: 'acc_1' })).account?.id, 'acc_1');
  assert.equal((await client.request(AccountByIdDocument, { id: 'acc_1' })).account?.id, 'acc_1');
  assert.deepEqual(calls.map((c) => typeof c.body.query), ['undefined', 'string', 'string']);
});

test("the SDK's error codes include every code of the platform's table", () => {
  const missing = Object.keys(ERROR_CODES).filter((code) => !(BAAS_ERROR_CODES as readonly string[]).includes(code));
  assert.deepEqual(missing, [], 'add these to packages/sdk/src/errors.ts BAAS_ERROR_CODES');
});
