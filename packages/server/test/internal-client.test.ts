import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { IDENTITY_HEADER, verifyIdentityAssertion } from '@baas/auth';
import { createInternalClient, InternalCallError, type TypedOperation } from '../src/index';

const SECRET = 'internal-client-test-secret-0123456789';

/** A stand-in service that answers every request with what it received (query text, variables, caller). */
describe('createInternalClient.operation: a generated typed document', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', async () => {
        const who = await verifyIdentityAssertion(req.headers[IDENTITY_HEADER] as string | undefined, SECRET);
        const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
        res.setHeader('content-type', 'application/json');
        if (variables['fail']) res.end(JSON.stringify({ data: null, errors: [{ message: 'no', extensions: { code: 'NOT_FOUND' } }] }));
        else res.end(JSON.stringify({ data: { echo: { query, variables, caller: who?.subject ?? null } } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  type Echo = { echo: { query: string; variables: Record<string, unknown>; caller: string | null } };
  const Document = parse('query Echo($id: ID!, $fail: Boolean) { echo(id: $id, fail: $fail) }') as TypedOperation<Echo, { id: string; fail?: boolean }>;
  const client = () =>
    createInternalClient({ service: 'echo', url, secret: SECRET, caller: { subject: 'accounts', kind: 'service', tenantId: null, scopes: [] }, timeoutMs: 5_000 });

  it('sends the printed document and its variables as the calling service, and returns the typed data', async () => {
    const data = await client().operation(Document, { id: 'a' });
    assert.match(data.echo.query, /^query Echo\(\$id: ID!, \$fail: Boolean\)/);
    assert.deepEqual(data.echo.variables, { id: 'a' });
    assert.equal(data.echo.caller, 'accounts');
  });

  it('fails as call does: GraphQL errors are an InternalCallError with their codes', async () => {
    await assert.rejects(client().operation(Document, { id: 'a', fail: true }), (error: unknown) => error instanceof InternalCallError && error.codes.join() === 'NOT_FOUND');
  });
});
