import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { decodeProtectedHeader } from 'jose';
import { uuidv7 } from '@baas/db';
import { ClientCredentialsTokenDocument, CreateApiClientDocument, graphqlRequest, RotateSigningKeyDocument, SigningKeysDocument, ViewerDocument } from '@baas/sdk';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

/** Signing-key rotation: the new key is published and signs; tokens of the old one verify until they expire. */
describe('access-token signing-key rotation', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  const tenantId = uuidv7();
  before(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'keys', 'Keys')`, [tenantId]);
    await client.end();
    platform = await startPlatform({ databaseUrl: db.url });
  });
  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('rotates: both keys in the JWKS, old tokens keep working, new tokens carry the new kid, across a restart', async () => {
    const operator = await platform.mintToken({ subject: 'ops-keys', kind: 'operator', tenantId: null, scopes: [] });
    const oldKid = decodeProtectedHeader(operator).kid;
    const gql = <T, V>(document: Parameters<typeof graphqlRequest<T, V>>[0]['document'], variables: V, token?: string) =>
      graphqlRequest<T, V>({ url: platform.gatewayUrl, document, variables, ...(token ? { token } : {}) });

    const created = await gql(CreateApiClientDocument, { input: { id: uuidv7(), tenantId, name: 'k', scopes: ['customers:write'] } }, operator);
    const { id: clientId } = created.data!.createApiClient.client;
    const secret = created.data!.createApiClient.clientSecret!;

    const rotated = await gql(RotateSigningKeyDocument, { activateAfterSeconds: 0 }, operator);
    assert.equal(rotated.errors, undefined, JSON.stringify(rotated.errors));
    const newKid = rotated.data!.rotateSigningKey.kid;
    assert.notEqual(newKid, oldKid);

    const jwks = (await (await fetch(new URL('/.well-known/jwks.json', platform.subgraphUrls.identity))).json()) as { keys: { kid: string }[] };
    assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set([oldKid, newKid]));

    const viewer = await gql(ViewerDocument, {}, operator);
    assert.equal(viewer.data?.viewer?.subject, 'ops-keys', 'a token of the retired key still verifies');

    const issued = await gql(ClientCredentialsTokenDocument, { clientId, clientSecret: secret });
    const token = issued.data!.clientCredentialsToken.accessToken;
    assert.equal(decodeProtectedHeader(token).kid, newKid);
    const asClient = await gql(ViewerDocument, {}, token);
    assert.equal(asClient.data?.viewer?.subject, clientId, 'the gateway fetched the new key');

    await platform.stopSubgraph('identity');
    await platform.restartSubgraph('identity');
    const afterRestart = await gql(ClientCredentialsTokenDocument, { clientId, clientSecret: secret });
    assert.equal(decodeProtectedHeader(afterRestart.data!.clientCredentialsToken.accessToken).kid, newKid, 'the key is shared through the database');
    const keys = await gql(SigningKeysDocument, {}, operator);
    const old = keys.data!.signingKeys.find((k) => k.kid === oldKid);
    assert.ok(old?.retiredAt, 'the previous key is retired');
    const forbidden = await gql(RotateSigningKeyDocument, {}, token);
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
