import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import pg from 'pg';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

type Created = { createCustomer: { status: string; customer: { id: string; kind: string; maskedTaxId: string; maskedEmail: string; maskedPhone: string } } };

/** Customers created by a tenant's backend: validated documents, PII sealed at rest, idempotent, tenant-scoped. */
describe('customers through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let backendA: string;
  let backendB: string;
  let readOnlyA: string;
  const tenantA = uuidv7();
  const tenantB = uuidv7();
  const cpf = (base: string) => base + cpfCheckDigits(base);

  const gql = <T>(query: string, variables: Record<string, unknown>, token?: string) =>
    graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, token });
  const CREATE = `mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { status customer { id kind maskedTaxId maskedEmail maskedPhone } } }`;

  before(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'a', 'A'), ($2, 'b', 'B')`, [tenantA, tenantB]);
    await client.end();
    platform = await startPlatform({ databaseUrl: db.url });
    backendA = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: tenantA, scopes: ['customers:write'] });
    backendB = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: tenantB, scopes: ['customers:write'] });
    readOnlyA = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: tenantA, scopes: ['customers:read'] });
  });
  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('creates a person with a valid CPF, stores PII only sealed, and shows it masked', async () => {
    const taxId = cpf('529982247');
    const input = { id: uuidv7(), kind: 'PERSON', displayName: 'Maria Silva', taxId: `${taxId.slice(0, 3)}.${taxId.slice(3, 6)}.${taxId.slice(6, 9)}-${taxId.slice(9)}`, email: 'Maria.Silva@Example.COM', phone: '(11) 91234-5678' };
    const created = await gql<Created>(CREATE, { input }, backendA);
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const c = created.data!.createCustomer;
    assert.equal(c.status, 'CREATED');
    assert.equal(c.customer.maskedTaxId, `***.${taxId.slice(3, 6)}.${taxId.slice(6, 9)}-**`);
    assert.match(c.customer.maskedEmail, /^M\*\*\*@example\.com$/);
    assert.match(c.customer.maskedPhone, /5678$/);

    const reader = new pg.Client({ connectionString: db.url });
    await reader.connect();
    const row = await reader.query('select * from identity.customer where id = $1', [input.id]);
    await reader.end();
    const text = JSON.stringify(row.rows[0]);
    for (const plain of [taxId, 'Maria.Silva', 'example.com', '912345678']) assert.ok(!text.includes(plain), `${plain} is not stored in clear`);

    const replay = await gql<Created>(CREATE, { input }, backendA);
    assert.equal(replay.data?.createCustomer.status, 'REPLAYED');
    const reused = await gql<Created>(CREATE, { input: { ...input, displayName: 'Other' } }, backendA);
    assert.equal(reused.errors?.[0]?.extensions?.code, 'IDEMPOTENCY_KEY_REUSED');
    const duplicate = await gql<Created>(CREATE, { input: { ...input, id: uuidv7() } }, backendA);
    assert.equal(duplicate.errors?.[0]?.extensions?.code, 'CONFLICT');
    // The same CPF in another tenant is another customer.
    const other = await gql<Created>(CREATE, { input: { ...input, id: uuidv7() } }, backendB);
    assert.equal(other.data?.createCustomer.status, 'CREATED');
    // And tenant B cannot read tenant A's customer.
    const idor = await gql(`query Q($id: ID!) { customer(id: $id) { displayName } }`, { id: input.id }, backendB);
    assert.equal(idor.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  it('accepts the alphanumeric CNPJ for a business and refuses bad documents with BAD_USER_INPUT', async () => {
    const business = await gql<Created>(CREATE, { input: { id: uuidv7(), kind: 'BUSINESS', displayName: 'Acme Ltda', taxId: '12.ABC.345/01DE-35' } }, backendA);
    assert.equal(business.data?.createCustomer.customer.maskedTaxId, '**.ABC.345/****-**');
    for (const [kind, taxId] of [['PERSON', '529.982.247-26'], ['PERSON', '111.111.111-11'], ['BUSINESS', cpf('123456789')], ['PERSON', '12ABC34501DE35']]) {
      const bad = await gql<Created>(CREATE, { input: { id: uuidv7(), kind, displayName: 'X', taxId } }, backendA);
      assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${kind} ${taxId}`);
      assert.deepEqual((bad.errors?.[0]?.extensions?.details as { field: string }).field, 'taxId');
    }
  });

  it('needs the customers:write scope', async () => {
    const denied = await gql<Created>(CREATE, { input: { id: uuidv7(), kind: 'PERSON', displayName: 'X', taxId: cpf('123456789') } }, readOnlyA);
    assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
