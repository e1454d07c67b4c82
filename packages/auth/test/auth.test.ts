import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, createLocalJWKSet } from 'jose';
import { signAccessToken, verifyAccessToken, signIdentityAssertion, verifyIdentityAssertion, canAccess, type Identity } from '../src/index';

const opts = { issuer: 'https://identity.baas.local', audience: 'baas-api' };
const customer: Identity = { subject: 'c1', kind: 'customer', tenantId: 't1', scopes: ['accounts:read'] };

async function keySet() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  return { privateKey, jwks: createLocalJWKSet({ keys: [jwk] }) };
}

describe('access tokens', () => {
  it('round-trips an identity', async () => {
    const { privateKey, jwks } = await keySet();
    const token = await signAccessToken(customer, { privateKey, kid: 'k1' }, { ...opts, ttlSeconds: 60 });
    assert.deepEqual(await verifyAccessToken(token, jwks, opts), customer);
  });

  it('refuses another key, another audience and an expired token', async () => {
    const a = await keySet();
    const b = await keySet();
    const token = await signAccessToken(customer, { privateKey: a.privateKey, kid: 'k1' }, { ...opts, ttlSeconds: 60 });
    await assert.rejects(verifyAccessToken(token, b.jwks, opts), { code: 'UNAUTHENTICATED' });
    await assert.rejects(verifyAccessToken(token, a.jwks, { ...opts, audience: 'other' }), { code: 'UNAUTHENTICATED' });
    const expired = await signAccessToken(customer, { privateKey: a.privateKey, kid: 'k1' }, { ...opts, ttlSeconds: -60 });
    await assert.rejects(verifyAccessToken(expired, a.jwks, opts), { code: 'UNAUTHENTICATED' });
  });
});

describe('identity assertions', () => {
  it('verifies only with the shared secret', async () => {
    const assertion = await signIdentityAssertion(customer, 'a-long-internal-secret-0123456789');
    assert.deepEqual(await verifyIdentityAssertion(assertion, 'a-long-internal-secret-0123456789'), customer);
    assert.equal(await verifyIdentityAssertion(assertion, 'another-secret-0123456789abcdef'), null);
    assert.equal(await verifyIdentityAssertion('garbage', 'a-long-internal-secret-0123456789'), null);
  });
});

describe('canAccess', () => {
  it('keeps customers to their own data and tenants to their own tenant', () => {
    assert.equal(canAccess(customer, { tenantId: 't1', customerId: 'c1' }), true);
    assert.equal(canAccess(customer, { tenantId: 't1', customerId: 'c2' }), false);
    assert.equal(canAccess(customer, { tenantId: 't2', customerId: 'c1' }), false);
    const client: Identity = { subject: 'app', kind: 'api_client', tenantId: 't1', scopes: [] };
    assert.equal(canAccess(client, { tenantId: 't1', customerId: 'c9' }), true);
    assert.equal(canAccess(client, { tenantId: 't2' }), false);
  });
});
