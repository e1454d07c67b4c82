import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { createAccessTokenVerifier, signAccessToken, verifyAccessToken, signIdentityAssertion, verifyIdentityAssertion, canAccess, type Identity } from '../src/index';

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

describe('access token verifier with a memory', () => {
  it('verifies a token once, answers repeats from memory until cacheSeconds, and stays bounded', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    let lookups = 0;
    const keys = async () => {
      lookups++;
      return publicKey;
    };
    let clock = 1_000_000;
    const verify = createAccessTokenVerifier(keys, { ...opts, cacheSize: 2, cacheSeconds: 30, now: () => clock });
    const token = await signAccessToken(customer, { privateKey, kid: 'k1' }, { ...opts, ttlSeconds: 600 });
    assert.deepEqual(await verify(token), customer);
    assert.deepEqual(await verify(token), customer);
    assert.equal(lookups, 1, 'the repeat came from memory');
    clock += 31;
    assert.deepEqual(await verify(token), customer);
    assert.equal(lookups, 2, 'verified again after cacheSeconds');
    const others = await Promise.all(['c2', 'c3'].map((subject) => signAccessToken({ ...customer, subject }, { privateKey, kid: 'k1' }, { ...opts, ttlSeconds: 600 })));
    for (const other of others) await verify(other);
    assert.equal(lookups, 4);
    await verify(token);
    assert.equal(lookups, 5, 'the oldest entry was dropped when the memory was full');
  });

  it('remembers no failure and honours a token\'s own expiry', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const verify = createAccessTokenVerifier(async () => publicKey, { ...opts, cacheSeconds: 3600 });
    const token = await signAccessToken(customer, { privateKey, kid: 'k1' }, { ...opts, ttlSeconds: 60 });
    const tampered = `${token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 2; i++) await assert.rejects(verify(tampered), { code: 'UNAUTHENTICATED' });
    let lookups = 0;
    let clock = Date.now() / 1000;
    const later = createAccessTokenVerifier(async () => (lookups++, publicKey), { ...opts, cacheSeconds: 3600, now: () => clock });
    await later(token);
    await later(token);
    assert.equal(lookups, 1);
    clock += 66; // past the token's exp (60 s) and the 5 s tolerance, though well within cacheSeconds
    await later(token); // jose's own clock still finds it fresh; what matters is that it was checked again
    assert.equal(lookups, 2, 'the memory let go of the token at its expiry');
    const expired = await signAccessToken(customer, { privateKey, kid: 'k1' }, { ...opts, ttlSeconds: -60 });
    await assert.rejects(verify(expired), { code: 'UNAUTHENTICATED' });
  });
});

describe('identity assertions', () => {
  it('verifies only with the shared secret', async () => {
    const assertion = await signIdentityAssertion(customer, 'a-long-internal-secret-0123456789');
    assert.deepEqual(await verifyIdentityAssertion(assertion, 'a-long-internal-secret-0123456789'), customer);
    assert.equal(await verifyIdentityAssertion(assertion, 'another-secret-0123456789abcdef'), null);
    assert.equal(await verifyIdentityAssertion('garbage', 'a-long-internal-secret-0123456789'), null);
  });

  it('is a standard HS256 JWT: jose verifies ours, and ours verifies jose\'s', async () => {
    const secret = 'a-long-internal-secret-0123456789';
    const key = new TextEncoder().encode(secret);
    const stepped: Identity = { ...customer, authTime: 1_700_000_000, amr: ['hwk'], stepUpAt: 1_700_000_100, stepUpPolicy: { LARGE_TRANSFER: { maxAgeSeconds: 300, minAmountMinor: '100000' } } };
    const ours = await signIdentityAssertion(stepped, secret);
    const { payload, protectedHeader } = await jwtVerify(ours, key, { issuer: 'baas-gateway', audience: 'baas-subgraph', algorithms: ['HS256'] });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload.sub, 'c1');
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 60);
    const theirs = await new SignJWT({ knd: 'customer', tid: 't1', scope: 'accounts:read' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('c1').setIssuer('baas-gateway').setAudience('baas-subgraph').setIssuedAt().setExpirationTime('60s')
      .sign(key);
    assert.deepEqual(await verifyIdentityAssertion(theirs, secret), customer);
    assert.deepEqual(await verifyIdentityAssertion(ours, secret), stepped);
  });

  it('refuses an expired assertion, another issuer or audience, another algorithm and a tampered payload', async () => {
    const secret = 'a-long-internal-secret-0123456789';
    const key = new TextEncoder().encode(secret);
    const make = (edit: (jwt: SignJWT) => SignJWT, alg = 'HS256') =>
      edit(new SignJWT({ knd: 'customer', tid: 't1', scope: '' }).setProtectedHeader({ alg }).setSubject('c1').setIssuedAt()).sign(key);
    const ok = (jwt: SignJWT) => jwt.setIssuer('baas-gateway').setAudience('baas-subgraph');
    assert.notEqual(await verifyIdentityAssertion(await make((j) => ok(j).setExpirationTime('60s')), secret), null);
    assert.equal(await verifyIdentityAssertion(await make((j) => ok(j).setExpirationTime(Math.floor(Date.now() / 1000) - 30)), secret), null);
    assert.equal(await verifyIdentityAssertion(await make((j) => ok(j)), secret), null, 'no expiry');
    assert.equal(await verifyIdentityAssertion(await make((j) => j.setIssuer('someone').setAudience('baas-subgraph').setExpirationTime('60s')), secret), null);
    assert.equal(await verifyIdentityAssertion(await make((j) => j.setIssuer('baas-gateway').setAudience('other').setExpirationTime('60s')), secret), null);
    assert.equal(await verifyIdentityAssertion(await make((j) => ok(j).setExpirationTime('60s'), 'HS512'), secret), null);
    const [h, p, s] = (await signIdentityAssertion(customer, secret)).split('.') as [string, string, string];
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), knd: 'operator', tid: null })).toString('base64url');
    assert.equal(await verifyIdentityAssertion(`${h}.${elevated}.${s}`, secret), null);
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    assert.equal(await verifyIdentityAssertion(`${none}.${p}.`, secret), null);
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
