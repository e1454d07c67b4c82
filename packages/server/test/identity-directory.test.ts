import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDENTITY_HEADER, verifyIdentityAssertion } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { clientChosenId, createIdentityDirectory, createInternalClient, derivedUuid, InternalCallError, isDerivedUuid } from '../src/index';

const SECRET = 'identity-directory-test-secret-0123456789';
const TENANT = '0190a1b2-0000-7000-8000-000000000001';
const OTHER = '0190a1b2-0000-7000-8000-000000000002';
const CUSTOMER = '0190a1b2-0000-7000-8000-0000000000c1';
const SUSPENDED = '0190a1b2-0000-7000-8000-0000000000c2';

/** A stand-in for identity's two internal queries, answering from a table (it counts calls and checks the caller). */
describe('createIdentityDirectory', () => {
  let server: Server;
  let url: string;
  let calls = 0;
  let callers: string[] = [];
  const customers = new Map([
    [`${TENANT}:${CUSTOMER}`, { customerStatus: 'ACTIVE' }],
    [`${TENANT}:${SUSPENDED}`, { customerStatus: 'SUSPENDED' }],
  ]);

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', async () => {
        calls++;
        const who = await verifyIdentityAssertion(req.headers[IDENTITY_HEADER] as string | undefined, SECRET);
        callers.push(`${who?.kind}:${who?.subject}`);
        const { query, variables } = JSON.parse(body) as { query: string; variables: { t: string; c?: string } };
        res.setHeader('content-type', 'application/json');
        if (query.includes('customerStanding')) {
          const row = customers.get(`${variables.t}:${variables.c}`);
          const customerStanding = row ? { customerId: variables.c, tenantId: variables.t, customerStatus: row.customerStatus, tenantStatus: 'ACTIVE', tenantSandbox: true } : null;
          return void res.end(JSON.stringify({ data: { customerStanding } }));
        }
        const tenantStanding = variables.t === TENANT ? { tenantId: TENANT, status: 'ACTIVE', sandbox: false } : null;
        res.end(JSON.stringify({ data: { tenantStanding } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'none';
    } catch (error) {
      return error instanceof DomainError ? error.code : String(error);
    }
  };

  it('asks identity as the calling service and remembers what it found (not what it did not)', async () => {
    const directory = createIdentityDirectory({ caller: 'accounts', url, secret: SECRET, cacheMs: 60_000 });
    calls = 0;
    callers = [];
    assert.equal((await directory.requireActiveCustomer(TENANT, CUSTOMER)).customerStatus, 'ACTIVE');
    await directory.requireActiveCustomer(TENANT, CUSTOMER.toUpperCase());
    assert.equal(calls, 1, 'the found customer is remembered');
    assert.deepEqual(callers, ['service:accounts']);
    const unknown = '0190a1b2-0000-7000-8000-0000000000ff';
    assert.equal(await codeOf(directory.requireActiveCustomer(TENANT, unknown)), 'NOT_FOUND');
    assert.equal(await codeOf(directory.requireActiveCustomer(TENANT, unknown)), 'NOT_FOUND');
    assert.equal(calls, 3, 'an absent customer is asked again');
  });

  it('the same NOT_FOUND for another tenant, an inactive customer, a malformed id or no tenant (no call for malformed ids)', async () => {
    const directory = createIdentityDirectory({ caller: 'accounts', url, secret: SECRET });
    calls = 0;
    for (const [tenant, customer] of [[OTHER, CUSTOMER], [TENANT, SUSPENDED], [TENANT, 'nope'], [null, CUSTOMER]] as const) {
      assert.equal(await codeOf(directory.requireActiveCustomer(tenant, customer)), 'NOT_FOUND', `${tenant} ${customer}`);
    }
    assert.equal(calls, 2);
    assert.equal((await directory.requireKnownTenant(TENANT)).sandbox, false);
    assert.equal(await codeOf(directory.requireKnownTenant(OTHER)), 'NOT_FOUND');
    assert.equal(await codeOf(directory.requireKnownTenant('x')), 'NOT_FOUND');
  });

  it('identity unreachable: SUBGRAPH_UNAVAILABLE, never an answer', async () => {
    const directory = createIdentityDirectory({ caller: 'accounts', url: 'http://127.0.0.1:1/graphql', secret: SECRET, timeoutMs: 2_000 });
    assert.equal(await codeOf(directory.requireActiveCustomer(TENANT, CUSTOMER)), 'SUBGRAPH_UNAVAILABLE');
    assert.equal(await codeOf(directory.tenantStanding(TENANT)), 'SUBGRAPH_UNAVAILABLE');
  });

  it('createInternalClient: GraphQL errors and transport failures are InternalCallErrors with their codes', async () => {
    const client = createInternalClient({ service: 'dead', url: 'http://127.0.0.1:1/graphql', secret: SECRET, caller: { subject: 'x', kind: 'service', tenantId: null, scopes: [] }, timeoutMs: 2_000 });
    await assert.rejects(client.call('{ a }'), (error: unknown) => error instanceof InternalCallError && error.service === 'dead' && error.codes.length === 0);
    assert.throws(() => createInternalClient({ service: 's', url, secret: SECRET, caller: { subject: 'x', kind: 'customer', tenantId: TENANT, scopes: [] } }));
  });
});

describe('derived ids: the platform id space', () => {
  it('derivedUuid is stable, version 5, and isDerivedUuid recognises exactly that version', () => {
    const id = derivedUuid('fx-liquidity:USD');
    assert.equal(id, derivedUuid('fx-liquidity:USD'));
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(isDerivedUuid(id), true);
    assert.equal(isDerivedUuid(crypto.randomUUID()), false);
    assert.equal(isDerivedUuid('0190a1b2-0000-7000-8000-000000000001'), false);
  });

  it('clientChosenId: a UUID outside the derived space, lower-cased; else BAD_USER_INPUT (RESERVED_ID for version 5)', () => {
    assert.equal(clientChosenId('0190A1B2-0000-7000-8000-00000000000A'), '0190a1b2-0000-7000-8000-00000000000a');
    const refused = (value: string) => {
      try {
        clientChosenId(value, 'accountId');
        return null;
      } catch (error) {
        return error instanceof DomainError ? [error.code, error.details?.field, error.details?.reason ?? null] : error;
      }
    };
    assert.deepEqual(refused(derivedUuid('sandbox-funding:x:BRL')), ['BAD_USER_INPUT', 'accountId', 'RESERVED_ID']);
    assert.deepEqual(refused('nope'), ['BAD_USER_INPUT', 'accountId', null]);
  });
});
