import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { createPiiVault, parsePiiKeys } from '@baas/pii';
import { createTestDatabase, eventually, SoftwareAuthenticator, type TestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

/**
 * Issue 10, items 6 to 10, replayed through the gateway as the outside tester did: a phished
 * one-time code trying to become a passkey, `clients:write` as a master key, codes and links used
 * twice, strangers locking a customer out of sign-in, and tenants that could not be managed (and
 * unknown tenant ids answering INTERNAL_SERVER_ERROR). Every refusal writes nothing.
 *
 * The gateway trusts X-Forwarded-For here (TRUST_PROXY), so the test plays several callers. Codes
 * are read from the notification outbox (the test knows the platform's PII keys), as the customer
 * would read their mailbox.
 */

type Gql<T = Record<string, any>> = { data?: T | null; errors?: { message: string; extensions?: { code?: string; details?: Record<string, unknown> } & Record<string, unknown> }[] };
const code = (res: Gql<unknown>) => res.errors?.[0]?.extensions?.code;
const reason = (res: Gql<unknown>) => (res.errors?.[0]?.extensions?.details as { reason?: string } | undefined)?.reason;
const ORIGIN = 'http://localhost:3000';

const Q = {
  createTenant: `mutation($input: CreateTenantInput!) { createTenant(input: $input) { status tenant { id slug sandbox status } } }`,
  tenants: `query($first: Int, $after: String) { tenants(first: $first, after: $after) { tenants { id slug } endCursor hasNextPage } }`,
  goLive: `mutation($t: ID!) { switchTenantToLive(tenantId: $t) { id sandbox } }`,
  suspend: `mutation($t: ID!) { suspendTenant(tenantId: $t) { id status } }`,
  reactivate: `mutation($t: ID!) { reactivateTenant(tenantId: $t) { id status } }`,
  createCustomer: `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { status customer { id } } }`,
  createClient: `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { status clientSecret client { id scopes } } }`,
  rotate: `mutation($id: ID!) { rotateApiClientSecret(id: $id) { clientSecret } }`,
  revoke: `mutation($id: ID!) { revokeApiClient(id: $id) { id status } }`,
  apiClients: `query($t: ID) { apiClients(tenantId: $t) { id } }`,
  token: `mutation($id: ID!, $secret: String!) { clientCredentialsToken(clientId: $id, clientSecret: $secret) { accessToken scope } }`,
  policy: `mutation($t: ID, $rules: [StepUpRuleInput!]!) { setStepUpPolicy(tenantId: $t, rules: $rules) { id } }`,
  startSignIn: `mutation($input: StartSignInInput!) { startSignIn(input: $input) { id maskedDestination expiresAt attemptsLeft } }`,
  verify: `mutation($c: ID!, $code: String!) { verifySignInCode(challengeId: $c, code: $code) { accessToken { accessToken } refreshToken session { id } } }`,
  magic: `mutation($token: String!) { redeemMagicLink(token: $token) { refreshToken session { id } } }`,
  refresh: `mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken { accessToken } refreshToken session { id stepUpAt } } }`,
  passkeys: `query { passkeys { id } }`,
  removePasskey: `mutation($id: ID!) { removePasskey(id: $id) { id } }`,
  startReg: `mutation { startPasskeyRegistration { challengeId options } }`,
  finishReg: `mutation($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id } }`,
  startPasskeySignIn: `mutation($input: StartPasskeySignInInput!) { startPasskeySignIn(input: $input) { challengeId options } }`,
  finishPasskeySignIn: `mutation($input: FinishPasskeyAssertionInput!) { finishPasskeySignIn(input: $input) { accessToken { accessToken } refreshToken session { id } } }`,
  startStepUp: `mutation { startStepUp { challengeId options } }`,
  finishStepUp: `mutation($input: FinishPasskeyAssertionInput!, $r: String!) { finishStepUp(input: $input, refreshToken: $r) { accessToken { accessToken } refreshToken } }`,
  requestRecovery: `mutation($id: ID!) { requestPasskeyRecovery(id: $id) { id status effectiveAt } }`,
  cancelRecovery: `mutation($id: ID!) { cancelPasskeyRecovery(id: $id) { id status } }`,
  audit: `query($f: AuditFilter) { auditEvents(filter: $f, first: 100) { events { action outcome actorKind reason } } }`,
};

type Tokens = { access: string; refresh: string };
type Notice = { template: string; to: string; challengeId?: string; code?: string; link?: string; customerId?: string };

describe('identity holes (issue 10 items 6-10), through the gateway', () => {
  let db: TestDatabase;
  let platform: TestPlatform;
  let sql: pg.Pool;
  const piiKeys = `e2e:${randomBytes(32).toString('base64')}`;
  const blindKey = randomBytes(32).toString('base64');
  const vault = createPiiVault({ keys: parsePiiKeys(piiKeys), activeKeyId: 'e2e', blindIndexKey: blindKey });
  const operator: Identity = { subject: 'ops-security', kind: 'operator', tenantId: null, scopes: [] };
  let operatorToken: string;

  /** One request through the gateway, from `ip` (X-Forwarded-For); a hung one fails after 30 s. Nothing is timed. */
  async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, opts: { token?: string; ip?: string } = {}): Promise<Gql<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': opts.ip ?? '192.0.2.1' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(platform.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(30_000) });
    return (await res.json()) as Gql<T>;
  }
  async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, opts: { token?: string; ip?: string } = {}): Promise<T> {
    const res = await gql<T>(query, variables, opts);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  }
  const count = async (text: string, params: unknown[]) => Number((await sql.query(text, params)).rows[0].n);

  /** What the outbox holds for a tenant (the customer's mailbox), oldest first. */
  async function notices(tenantId: string): Promise<Notice[]> {
    const { rows } = await sql.query(`select payload_sealed from identity.notification_outbox where tenant_id = $1 order by created_at, id`, [tenantId]);
    return rows.map((r) => JSON.parse(vault.decrypt(r.payload_sealed, `notification:${tenantId}`)) as Notice);
  }
  async function codeFor(tenantId: string, challengeId: string): Promise<Notice | undefined> {
    return (await notices(tenantId)).find((n) => n.challengeId === challengeId);
  }

  async function newTenant(sandbox = true): Promise<string> {
    const id = uuidv7();
    await ok(Q.createTenant, { input: { id, slug: `t-${id.slice(-12)}`, name: 'Tenant', sandbox } }, { token: operatorToken });
    return id;
  }
  async function newCustomer(tenantId: string): Promise<{ id: string; email: string }> {
    const id = uuidv7();
    const email = `c.${id.slice(-10)}@example.com`;
    const base = String(randomInt(100_000_000, 999_999_999));
    await ok(Q.createCustomer, { input: { id, tenantId, kind: 'PERSON', displayName: 'Ana', taxId: base + cpfCheckDigits(base), email } }, { token: operatorToken });
    return { id, email };
  }
  async function signIn(tenantId: string, email: string, ip = '192.0.2.1'): Promise<Tokens> {
    const id = uuidv7();
    await ok(Q.startSignIn, { input: { id, tenantId, channel: 'EMAIL', destination: email } }, { ip });
    const sent = await codeFor(tenantId, id);
    assert.ok(sent?.code, 'a code was sent');
    const res = await ok(Q.verify, { c: id, code: sent.code }, { ip });
    return { access: res.verifySignInCode.accessToken.accessToken, refresh: res.verifySignInCode.refreshToken };
  }
  async function registerPasskey(tokens: Tokens, authenticator: SoftwareAuthenticator): Promise<Gql> {
    const start = await gql(Q.startReg, {}, { token: tokens.access });
    if (start.errors) return start;
    const response = authenticator.createCredential({ options: start.data!.startPasskeyRegistration.options, origin: ORIGIN });
    return gql(Q.finishReg, { input: { challengeId: start.data!.startPasskeyRegistration.challengeId, response } }, { token: tokens.access });
  }
  async function stepUp(tokens: Tokens, authenticator: SoftwareAuthenticator): Promise<Tokens> {
    const start = await ok(Q.startStepUp, {}, { token: tokens.access });
    const response = authenticator.getAssertion({ options: start.startStepUp.options, origin: ORIGIN });
    const res = await ok(Q.finishStepUp, { input: { challengeId: start.startStepUp.challengeId, response }, r: tokens.refresh }, { token: tokens.access });
    return { access: res.finishStepUp.accessToken.accessToken, refresh: res.finishStepUp.refreshToken };
  }

  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    platform = await startPlatform({
      databaseUrl: db.url,
      env: {
        PII_KEYS: piiKeys,
        PII_ACTIVE_KEY_ID: 'e2e',
        PII_BLIND_INDEX_KEY: blindKey,
        OTP_SENDS_PER_WINDOW: '3',
        OTP_SENDS_PER_ADDRESS_PER_WINDOW: '100',
        OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW: '4',
        FIRST_PASSKEY_WINDOW_SECONDS: '3600',
        PASSKEY_RECOVERY_DELAY_SECONDS: '86400',
      },
      gatewayEnv: { RATE_LIMIT_MAX: '100000', TRUST_PROXY: 'true' },
    });
    operatorToken = await platform.mintToken(operator, 3600);
  });
  after(async () => {
    await platform?.stop();
    await sql?.end();
    await db?.drop();
  });

  describe('item 6: a phished one-time code never becomes a passkey', () => {
    it('an OTP-only session can neither remove the owner\'s passkey nor add its own; the owner, stepped up, can', async () => {
      const tenantId = await newTenant();
      const owner = await newCustomer(tenantId);
      const ownerDevice = new SoftwareAuthenticator();
      const ownerSession = await signIn(tenantId, owner.email, '192.0.2.10');
      // Right after sign-up the first passkey needs no more than the code session.
      assert.equal(code(await registerPasskey(ownerSession, ownerDevice)), undefined);
      const added = (await notices(tenantId)).filter((n) => n.template === 'passkey-added');
      assert.equal(added.length, 1, 'the owner was told a passkey was added');

      // The attacker phished a code: an OTP-only session.
      const attacker = await signIn(tenantId, owner.email, '198.51.100.66');
      const listed = await ok<{ passkeys: { id: string }[] }>(Q.passkeys, {}, { token: attacker.access });
      assert.equal(listed.passkeys.length, 1);
      const removal = await gql(Q.removePasskey, { id: listed.passkeys[0]!.id }, { token: attacker.access });
      assert.equal(code(removal), 'STEP_UP_REQUIRED', JSON.stringify(removal));
      assert.equal(await count(`select count(*) n from identity.passkey_credential where customer_id = $1 and removed_at is null`, [owner.id]), 1, 'the passkey stays');
      const theirs = await registerPasskey(attacker, new SoftwareAuthenticator());
      assert.equal(code(theirs), 'STEP_UP_REQUIRED', JSON.stringify(theirs));
      assert.equal(await count(`select count(*) n from identity.passkey_credential where customer_id = $1`, [owner.id]), 1, "no attacker's passkey");

      // The owner confirms with the passkey, then may remove it (and is told).
      const stepped = await stepUp(ownerSession, ownerDevice);
      assert.equal(code(await gql(Q.removePasskey, { id: listed.passkeys[0]!.id }, { token: stepped.access })), undefined);
      assert.equal((await notices(tenantId)).filter((n) => n.template === 'passkey-removed').length, 1);
    });

    it('without any passkey, a code session must go through a notified, delayed, cancellable recovery', async () => {
      const tenantId = await newTenant();
      const owner = await newCustomer(tenantId);
      const device = new SoftwareAuthenticator();
      const session = await signIn(tenantId, owner.email);
      assert.equal(code(await registerPasskey(session, device)), undefined);
      const stepped = await stepUp(session, device);
      const [passkey] = (await ok<{ passkeys: { id: string }[] }>(Q.passkeys, {}, { token: stepped.access })).passkeys;
      await ok(Q.removePasskey, { id: passkey!.id }, { token: stepped.access });

      // An attacker's code session: the customer had a passkey once, so no direct registration.
      const attacker = await signIn(tenantId, owner.email, '198.51.100.77');
      const direct = await registerPasskey(attacker, new SoftwareAuthenticator());
      assert.equal(code(direct), 'FORBIDDEN');
      assert.equal(reason(direct), 'PASSKEY_RECOVERY_REQUIRED');

      // The attacker asks for a recovery: the owner is told at once, it is not effective yet, and the owner cancels it.
      const recoveryId = uuidv7();
      const asked = await ok(Q.requestRecovery, { id: recoveryId }, { token: attacker.access });
      assert.equal(asked.requestPasskeyRecovery.status, 'PENDING');
      assert.ok(Date.parse(asked.requestPasskeyRecovery.effectiveAt) > Date.now() + 23 * 3600_000, 'effective a day later');
      const told = (await notices(tenantId)).filter((n) => n.template === 'passkey-recovery-requested');
      assert.deepEqual(told.map((n) => n.to), [owner.email]);
      assert.equal(reason(await registerPasskey(attacker, new SoftwareAuthenticator())), 'PASSKEY_RECOVERY_REQUIRED', 'not before the delay');
      assert.equal(code(await gql(Q.requestRecovery, { id: uuidv7() }, { token: attacker.access })), 'CONFLICT', 'one open recovery at a time');
      const cancelled = await ok(Q.cancelRecovery, { id: recoveryId }, { token: session.access });
      assert.equal(cancelled.cancelPasskeyRecovery.status, 'CANCELLED');
      // Even once its time has passed, a cancelled recovery allows nothing.
      await sql.query(`update identity.passkey_recovery set effective_at = now() - interval '1 second' where id = $1`, [recoveryId]);
      assert.equal(reason(await registerPasskey(attacker, new SoftwareAuthenticator())), 'PASSKEY_RECOVERY_REQUIRED');

      // The owner's own recovery, once effective, registers exactly one passkey.
      const mine = uuidv7();
      await ok(Q.requestRecovery, { id: mine }, { token: session.access });
      await sql.query(`update identity.passkey_recovery set effective_at = now() - interval '1 second' where id = $1`, [mine]);
      assert.equal(code(await registerPasskey(session, new SoftwareAuthenticator())), undefined);
      // A recovery is used once: another passkey now needs a step-up with the one just registered.
      assert.equal(code(await registerPasskey(session, new SoftwareAuthenticator())), 'STEP_UP_REQUIRED');
      assert.equal(await count(`select count(*) n from identity.passkey_credential where customer_id = $1 and removed_at is null`, [owner.id]), 1);
      const templates = (await notices(tenantId)).map((n) => n.template);
      assert.deepEqual(templates.filter((t) => t.startsWith('passkey')), ['passkey-added', 'passkey-removed', 'passkey-recovery-requested', 'passkey-recovery-cancelled', 'passkey-recovery-requested', 'passkey-added']);
      // Every passkey change is in the audit trail.
      const events = await eventually(async () => {
        const res = await ok<{ auditEvents: { events: { action: string; outcome: string }[] } }>(Q.audit, { f: { tenantId, action: 'auth.passkey.' } }, { token: operatorToken });
        const actions = res.auditEvents.events.filter((e) => e.outcome === 'SUCCESS').map((e) => e.action);
        assert.ok(actions.includes('auth.passkey.remove') && actions.includes('auth.passkey.recovery.request') && actions.includes('auth.passkey.recovery.cancel'), actions.join(','));
        return res.auditEvents.events;
      });
      assert.ok(events.some((e) => e.action === 'auth.passkey.remove' && e.outcome === 'FAILURE') || events.some((e) => e.action === 'auth.passkey.register'));
    });
  });

  describe('item 7: clients:write grants only what the caller holds', () => {
    it('a clients:write-only client can neither mint an all-scopes client nor rotate or revoke a stronger sibling', async () => {
      const tenantId = await newTenant();
      const weak = await ok(Q.createClient, { input: { id: uuidv7(), tenantId, name: 'weak', scopes: ['clients:write'] } }, { token: operatorToken });
      const strong = await ok(Q.createClient, { input: { id: uuidv7(), tenantId, name: 'strong', scopes: ['customers:write', 'sandbox:fund'] } }, { token: operatorToken });
      const weakToken = (await ok(Q.token, { id: weak.createApiClient.client.id, secret: weak.createApiClient.clientSecret })).clientCredentialsToken.accessToken;

      const everything = ['customers:read', 'customers:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:write', 'clients:write', 'tenant:write', 'audit:read', 'sandbox:fund', 'webhooks:read', 'webhooks:write'];
      const id = uuidv7();
      const minted = await gql(Q.createClient, { input: { id, name: 'master', scopes: everything } }, { token: weakToken });
      assert.equal(code(minted), 'FORBIDDEN');
      assert.equal(reason(minted), 'SCOPE_ESCALATION');
      assert.equal(await count(`select count(*) n from identity.api_client where id = $1`, [id]), 0);

      const strongId = strong.createApiClient.client.id;
      assert.equal(code(await gql(Q.rotate, { id: strongId }, { token: weakToken })), 'FORBIDDEN');
      assert.equal(code(await gql(Q.revoke, { id: strongId }, { token: weakToken })), 'FORBIDDEN');
      // The sibling's secret still works: nothing was rotated or revoked.
      assert.ok((await ok(Q.token, { id: strongId, secret: strong.createApiClient.clientSecret })).clientCredentialsToken.accessToken);
      // Within its own scopes it still manages clients.
      const peer = await ok(Q.createClient, { input: { id: uuidv7(), name: 'peer', scopes: ['clients:write'] } }, { token: weakToken });
      assert.equal(code(await gql(Q.rotate, { id: peer.createApiClient.client.id }, { token: weakToken })), undefined);
    });
  });

  describe('item 8: one-time codes and magic links work once', () => {
    it('re-presenting a used code or link is INVALID_CODE and the owner keeps their session', async () => {
      const tenantId = await newTenant();
      const { email } = await newCustomer(tenantId);
      const id = uuidv7();
      await ok(Q.startSignIn, { input: { id, tenantId, channel: 'EMAIL', destination: email, magicLink: true } });
      const sent = (await codeFor(tenantId, id))!;
      const owner = await ok(Q.verify, { c: id, code: sent.code });
      const replay = await gql(Q.verify, { c: id, code: sent.code }, { ip: '198.51.100.5' });
      assert.equal(code(replay), 'INVALID_CODE');
      const token = new URL(sent.link!).searchParams.get('token')!;
      assert.equal(code(await gql(Q.magic, { token })), 'INVALID_CODE');
      // The owner's refresh token was not revoked.
      assert.ok((await ok(Q.refresh, { r: owner.verifySignInCode.refreshToken })).refreshSession.session.id);
      assert.equal(await count(`select count(*) n from identity.session where challenge_id = $1`, [id]), 1);
    });

    it('two concurrent redemptions of one code: exactly one session', async () => {
      const tenantId = await newTenant();
      const { email } = await newCustomer(tenantId);
      const id = uuidv7();
      await ok(Q.startSignIn, { input: { id, tenantId, channel: 'EMAIL', destination: email } });
      const sent = (await codeFor(tenantId, id))!;
      const results = await Promise.all([gql(Q.verify, { c: id, code: sent.code }), gql(Q.verify, { c: id, code: sent.code }, { ip: '198.51.100.6' })]);
      assert.equal(results.filter((r) => !r.errors).length, 1, JSON.stringify(results.map(code)));
      assert.deepEqual(results.filter((r) => r.errors).map(code), ['INVALID_CODE']);
      assert.equal(await count(`select count(*) n from identity.session where challenge_id = $1`, [id]), 1);
    });
  });

  describe('item 9: strangers cannot lock a customer out of sign-in', () => {
    it("a stranger's requests spend the stranger's quota; past the destination's cap nothing more is sent, and the owner still signs in", async () => {
      const tenantId = await newTenant();
      const { id: customerId, email } = await newCustomer(tenantId);
      const start = (ip: string) => gql(Q.startSignIn, { input: { id: uuidv7(), tenantId, channel: 'EMAIL', destination: email } }, { ip });
      // Stranger 1: three codes, then refused (RATE_LIMITED for that caller only).
      for (let i = 0; i < 3; i++) assert.equal(code(await start('203.0.113.1')), undefined);
      const refused = await start('203.0.113.1');
      assert.equal(code(refused), 'RATE_LIMITED');
      // The owner, from their own address, is not refused and signs in with the code they receive.
      const tokens = await signIn(tenantId, email, '192.0.2.44');
      assert.ok(tokens.access);
      // A second stranger pushes the destination past its cap (4 deliveries): answered, but nothing more is sent.
      for (let i = 0; i < 3; i++) assert.equal(code(await start('203.0.113.2')), undefined);
      const delivered = (await notices(tenantId)).filter((n) => n.template === 'sign-in' && n.to === email);
      assert.equal(delivered.length, 4, 'mail bombing stops at the cap');
      // The owner again: a challenge like any other, no new code, and the last code received works on it.
      const ownerChallenge = uuidv7();
      const answer = await ok(Q.startSignIn, { input: { id: ownerChallenge, tenantId, channel: 'EMAIL', destination: email } }, { ip: '192.0.2.44' });
      assert.equal(answer.startSignIn.attemptsLeft, 5);
      assert.equal((await notices(tenantId)).filter((n) => n.template === 'sign-in').length, 4);
      // The newest code the owner has not used yet (the fourth was their own sign-in) is the one the held challenge takes.
      const last = delivered[2]!;
      const signedIn = await ok(Q.verify, { c: ownerChallenge, code: last.code }, { ip: '192.0.2.44' });
      assert.ok(signedIn.verifySignInCode.session.id);
      assert.equal((await sql.query(`select subject from identity.session where id = $1`, [signedIn.verifySignInCode.session.id])).rows[0].subject, customerId);
    });

    it('answers the same whether or not the destination belongs to a customer (no enumeration)', async () => {
      const tenantId = await newTenant();
      const { email } = await newCustomer(tenantId);
      const known = await ok(Q.startSignIn, { input: { id: uuidv7(), tenantId, channel: 'EMAIL', destination: email } }, { ip: '203.0.113.9' });
      const unknown = await ok(Q.startSignIn, { input: { id: uuidv7(), tenantId, channel: 'EMAIL', destination: `nobody.${uuidv7().slice(-8)}@example.com` } }, { ip: '203.0.113.9' });
      assert.deepEqual(Object.keys(unknown.startSignIn).sort(), Object.keys(known.startSignIn).sort());
      assert.equal(unknown.startSignIn.attemptsLeft, known.startSignIn.attemptsLeft);
    });
  });

  describe('item 10: tenant management, suspension, and NOT_FOUND for unknown tenants', () => {
    it('operators create tenants idempotently (unique slug, sandbox by default) and list them by page; nobody else can', async () => {
      const id = uuidv7();
      const input = { id, slug: `acme-${id.slice(-8)}`, name: 'Acme' };
      const created = await ok(Q.createTenant, { input }, { token: operatorToken });
      assert.deepEqual(created.createTenant, { status: 'CREATED', tenant: { id, slug: input.slug, sandbox: true, status: 'ACTIVE' } });
      assert.equal((await ok(Q.createTenant, { input }, { token: operatorToken })).createTenant.status, 'REPLAYED');
      assert.equal(code(await gql(Q.createTenant, { input: { ...input, name: 'Other' } }, { token: operatorToken })), 'IDEMPOTENCY_KEY_REUSED');
      assert.equal(code(await gql(Q.createTenant, { input: { ...input, id: uuidv7() } }, { token: operatorToken })), 'CONFLICT');
      const client = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: id, scopes: ['tenant:write', 'clients:write'] });
      assert.equal(code(await gql(Q.createTenant, { input: { ...input, id: uuidv7(), slug: 'x-other-slug' } }, { token: client })), 'FORBIDDEN');
      assert.equal(code(await gql(Q.tenants, {}, { token: client })), 'FORBIDDEN');
      const first = await ok(Q.tenants, { first: 1 }, { token: operatorToken });
      assert.equal(first.tenants.tenants.length, 1);
      assert.equal(first.tenants.hasNextPage, true);
      const next = await ok(Q.tenants, { first: 1, after: first.tenants.endCursor }, { token: operatorToken });
      assert.notEqual(next.tenants.tenants[0].id, first.tenants.tenants[0].id);
    });

    it('sandbox goes live only without customers, and never back', async () => {
      const empty = await newTenant();
      assert.equal((await ok(Q.goLive, { t: empty }, { token: operatorToken })).switchTenantToLive.sandbox, false);
      assert.equal((await ok(Q.goLive, { t: empty }, { token: operatorToken })).switchTenantToLive.sandbox, false, 'repeatable');
      const busy = await newTenant();
      await newCustomer(busy);
      const refused = await gql(Q.goLive, { t: busy }, { token: operatorToken });
      assert.equal(code(refused), 'CONFLICT');
      assert.equal(reason(refused), 'TENANT_HAS_CUSTOMERS');
      assert.equal((await sql.query(`select sandbox from identity.tenant where id = $1`, [busy])).rows[0].sandbox, true);
    });

    it("a suspended tenant's principals get no new tokens (client credentials, sign-in, refresh); reactivation restores them; all audited", async () => {
      const tenantId = await newTenant();
      const { email } = await newCustomer(tenantId);
      const client = await ok(Q.createClient, { input: { id: uuidv7(), tenantId, name: 'backend', scopes: ['customers:write'] } }, { token: operatorToken });
      const session = await signIn(tenantId, email);
      const pendingChallenge = uuidv7();
      await ok(Q.startSignIn, { input: { id: pendingChallenge, tenantId, channel: 'EMAIL', destination: email } });
      const pendingCode = (await codeFor(tenantId, pendingChallenge))!.code!;

      assert.equal((await ok(Q.suspend, { t: tenantId }, { token: operatorToken })).suspendTenant.status, 'SUSPENDED');
      assert.equal(code(await gql(Q.token, { id: client.createApiClient.client.id, secret: client.createApiClient.clientSecret })), 'TENANT_SUSPENDED');
      assert.equal(code(await gql(Q.refresh, { r: session.refresh })), 'TENANT_SUSPENDED');
      assert.equal(code(await gql(Q.verify, { c: pendingChallenge, code: pendingCode })), 'TENANT_SUSPENDED');
      const startId = uuidv7();
      assert.equal(code(await gql(Q.startSignIn, { input: { id: startId, tenantId, channel: 'EMAIL', destination: email } })), 'TENANT_SUSPENDED');
      assert.equal(await count(`select count(*) n from identity.sign_in_challenge where id = $1`, [startId]), 0);
      assert.equal(code(await gql(Q.startPasskeySignIn, { input: { id: uuidv7(), tenantId } })), 'TENANT_SUSPENDED');

      await ok(Q.reactivate, { t: tenantId }, { token: operatorToken });
      assert.ok((await ok(Q.token, { id: client.createApiClient.client.id, secret: client.createApiClient.clientSecret })).clientCredentialsToken.accessToken);
      assert.ok((await ok(Q.refresh, { r: session.refresh })).refreshSession.session.id, 'the refresh token was not spent by the refusal');
      assert.ok((await ok(Q.verify, { c: pendingChallenge, code: pendingCode })).verifySignInCode.session.id);
      await eventually(async () => {
        const res = await ok<{ auditEvents: { events: { action: string }[] } }>(Q.audit, { f: { tenantId, action: 'identity.tenant.' } }, { token: operatorToken });
        const actions = res.auditEvents.events.map((e) => e.action);
        for (const a of ['identity.tenant.create', 'identity.tenant.suspend', 'identity.tenant.reactivate']) assert.ok(actions.includes(a), `${a} in ${actions.join(',')}`);
      });
    });

    it('the same rule for customers: a closed customer\'s session gets no new tokens (its refresh token is not spent)', async () => {
      const tenantId = await newTenant();
      const { id, email } = await newCustomer(tenantId);
      const session = await signIn(tenantId, email);
      await sql.query(`update identity.customer set status = 'CLOSED' where id = $1`, [id]);
      const refused = await gql(Q.refresh, { r: session.refresh });
      assert.equal(code(refused), 'UNAUTHENTICATED');
      assert.equal(reason(refused), 'CUSTOMER_INACTIVE');
      assert.equal(await count(`select count(*) n from identity.refresh_token t join identity.session s on s.id = t.session_id where s.subject = $1 and t.used_at is not null`, [id]), 0);
    });

    it('every entry point answers NOT_FOUND for an unknown or malformed tenant id, and writes nothing', async () => {
      const base = String(randomInt(100_000_000, 999_999_999));
      for (const tenantId of [uuidv7(), 'not-a-uuid']) {
        const customerId = uuidv7();
        const clientId = uuidv7();
        const attempts: [string, Gql][] = [
          ['createCustomer', await gql(Q.createCustomer, { input: { id: customerId, tenantId, kind: 'PERSON', displayName: 'X', taxId: base + cpfCheckDigits(base) } }, { token: operatorToken })],
          ['createApiClient', await gql(Q.createClient, { input: { id: clientId, tenantId, name: 'x', scopes: [] } }, { token: operatorToken })],
          ['setStepUpPolicy', await gql(Q.policy, { t: tenantId, rules: [{ action: 'LARGE_TRANSFER', maxAgeSeconds: 60 }] }, { token: operatorToken })],
          ['apiClients', await gql(Q.apiClients, { t: tenantId }, { token: operatorToken })],
          ['switchTenantToLive', await gql(Q.goLive, { t: tenantId }, { token: operatorToken })],
          ['suspendTenant', await gql(Q.suspend, { t: tenantId }, { token: operatorToken })],
          ['startSignIn', await gql(Q.startSignIn, { input: { id: uuidv7(), tenantId, channel: 'EMAIL', destination: 'a@example.com' } })],
          ['startPasskeySignIn', await gql(Q.startPasskeySignIn, { input: { id: uuidv7(), tenantId } })],
        ];
        for (const [name, res] of attempts) assert.equal(code(res), 'NOT_FOUND', `${name} ${tenantId}: ${JSON.stringify(res.errors)}`);
        assert.equal(await count(`select count(*) n from identity.customer where id = $1`, [customerId]), 0);
        assert.equal(await count(`select count(*) n from identity.api_client where id = $1`, [clientId]), 0);
      }
    });
  });
});
