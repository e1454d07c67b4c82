import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import {
  AuditTrailDocument,
  ClientCredentialsTokenDocument,
  CreateApiClientDocument,
  FinishPasskeyRegistrationDocument,
  FinishPasskeySignInDocument,
  FinishStepUpDocument,
  graphqlRequest,
  MeDocument,
  MySessionsDocument,
  RefreshSessionDocument,
  SetStepUpPolicyDocument,
  SignUpCustomerDocument,
  StartPasskeyRegistrationDocument,
  StartPasskeySignInDocument,
  StartSignInDocument,
  StartStepUpDocument,
  VerifySignInCodeDocument,
  type AuditTrailQuery,
} from '@baas/sdk';
import { createTestDatabase, eventually, SoftwareAuthenticator } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const ORIGIN = 'http://localhost:3000';

/**
 * Issue 4's scenario through the gateway with the typed SDK: a tenant's API client gets a token, a
 * customer signs up, signs in with a one-time code, registers a passkey, signs in with it, steps up,
 * refreshes, and a reused refresh token kills the family; the audit trail shows every step.
 */
describe('sign-in flow through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  const tenantId = uuidv7();
  const email = `maria.${uuidv7().slice(-8)}@example.com`;
  const authenticator = new SoftwareAuthenticator();

  const call = async <T, V>(document: TypedDocumentNode<T, V>, variables: V, token?: string) =>
    graphqlRequest<T, V>({ url: platform.gatewayUrl, document, variables, ...(token ? { token } : {}) });
  const ok = async <T, V>(document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<T> => {
    const res = await call(document, variables, token);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  };
  const code = async <T, V>(document: TypedDocumentNode<T, V>, variables: V, token?: string) => (await call(document, variables, token)).errors?.[0]?.extensions?.code;

  /** What the development sink received for an address: the tests read the code as a developer would. */
  const sentTo = async (to: string): Promise<{ code?: string; link?: string }[]> => {
    const base = new URL(platform.subgraphUrls.identity!);
    const res = await fetch(new URL(`/dev/notifications?to=${encodeURIComponent(to)}`, base));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { notifications?: { code?: string; link?: string }[] };
    return body.notifications ?? [];
  };

  let clientToken: string;
  let customerId: string;
  let otpTokens: { accessToken: string; refreshToken: string };

  before(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'flow', 'Flow Bank')`, [tenantId]);
    await client.end();
    platform = await startPlatform({ databaseUrl: db.url });
  });
  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it("a tenant's API client gets an access token with client credentials", async () => {
    const operator = await platform.mintToken({ subject: 'ops-1', kind: 'operator', tenantId: null, scopes: [] });
    const created = await ok(CreateApiClientDocument, { input: { id: uuidv7(), tenantId, name: 'Flow backend', scopes: ['customers:write', 'tenant:write', 'audit:read'] } }, operator);
    assert.ok(created.createApiClient.clientSecret?.startsWith('bsk_'));
    const token = await ok(ClientCredentialsTokenDocument, { clientId: created.createApiClient.client.id, clientSecret: created.createApiClient.clientSecret! });
    assert.equal(token.clientCredentialsToken.scope, 'customers:write tenant:write audit:read');
    clientToken = token.clientCredentialsToken.accessToken;
    assert.equal(await code(ClientCredentialsTokenDocument, { clientId: created.createApiClient.client.id, clientSecret: 'bsk_wrong' }), 'UNAUTHENTICATED');
  });

  it('the customer signs up and signs in with a one-time code sent by e-mail', async () => {
    const base = '529982247';
    const signUp = await ok(SignUpCustomerDocument, { input: { id: uuidv7(), kind: 'PERSON', displayName: 'Maria', taxId: base + cpfCheckDigits(base), email } }, clientToken);
    customerId = signUp.createCustomer.customer.id;

    const challengeId = uuidv7();
    const started = await ok(StartSignInDocument, { input: { id: challengeId, tenantId, channel: 'EMAIL', destination: email } });
    assert.equal(started.startSignIn.id, challengeId);
    assert.match(started.startSignIn.maskedDestination, /\*/);
    // A repeated start (same id) does not send a second code.
    await ok(StartSignInDocument, { input: { id: challengeId, tenantId, channel: 'EMAIL', destination: email } });

    const messages = await eventually(async () => {
      const found = await sentTo(email);
      assert.ok(found.length >= 1);
      return found;
    });
    const otp = messages[0]!.code!;
    assert.match(otp, /^\d{6}$/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await sentTo(email)).length, 1, 'the replayed start sent nothing');

    const wrong = otp === '000000' ? '111111' : '000000';
    const refused = await call(VerifySignInCodeDocument, { challengeId, code: wrong });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'INVALID_CODE');

    const signedIn = await ok(VerifySignInCodeDocument, { challengeId, code: otp });
    assert.deepEqual(signedIn.verifySignInCode.session.amr, ['otp']);
    otpTokens = { accessToken: signedIn.verifySignInCode.accessToken.accessToken, refreshToken: signedIn.verifySignInCode.refreshToken };
    const me = await ok(MeDocument, {}, otpTokens.accessToken);
    assert.equal(me.me?.id, customerId);
  });

  it('registers a passkey and signs in with it (username-less)', async () => {
    const start = await ok(StartPasskeyRegistrationDocument, {}, otpTokens.accessToken);
    const response = authenticator.createCredential({ options: start.startPasskeyRegistration.options as never, origin: ORIGIN });
    const passkey = await ok(FinishPasskeyRegistrationDocument, { input: { challengeId: start.startPasskeyRegistration.challengeId, response, nickname: 'Test phone' } }, otpTokens.accessToken);
    assert.equal(passkey.finishPasskeyRegistration.nickname, 'Test phone');

    const signInStart = await ok(StartPasskeySignInDocument, { input: { id: uuidv7(), tenantId } });
    const assertion = authenticator.getAssertion({ options: signInStart.startPasskeySignIn.options as never, origin: ORIGIN });
    const input = { challengeId: signInStart.startPasskeySignIn.challengeId, response: assertion };
    const signedIn = await ok(FinishPasskeySignInDocument, { input });
    assert.ok(signedIn.finishPasskeySignIn.session.amr.includes('hwk'));
    assert.ok(signedIn.finishPasskeySignIn.session.stepUpAt, 'a passkey sign-in counts as a step-up');
    // The same answer again opens nothing: an assertion, like a code, works once (issue 10 item 8).
    assert.equal(await code(FinishPasskeySignInDocument, { input }), 'UNAUTHENTICATED');
    const me = await ok(MeDocument, {}, signedIn.finishPasskeySignIn.accessToken.accessToken);
    assert.equal(me.me?.id, customerId);
    // A forged response (bad signature) is refused.
    const forgedStart = await ok(StartPasskeySignInDocument, { input: { id: uuidv7(), tenantId } });
    const forged = authenticator.getAssertion({ options: forgedStart.startPasskeySignIn.options as never, origin: ORIGIN, tamperSignature: true });
    assert.equal(await code(FinishPasskeySignInDocument, { input: { challengeId: forgedStart.startPasskeySignIn.challengeId, response: forged } }), 'UNAUTHENTICATED');
  });

  it("step-up: the tenant's policy makes a second passkey need a fresh passkey confirmation", async () => {
    const policy = await ok(SetStepUpPolicyDocument, { rules: [{ action: 'ADD_PASSKEY', maxAgeSeconds: 120 }, { action: 'LARGE_TRANSFER', maxAgeSeconds: 300, minAmountMinor: '100000' }] }, clientToken);
    assert.equal(policy.setStepUpPolicy.stepUpPolicy.length, 2);
    // The OTP session's next token carries the policy, and no step-up.
    const refreshed = await ok(RefreshSessionDocument, { refreshToken: otpTokens.refreshToken });
    const access = refreshed.refreshSession.accessToken.accessToken;
    assert.equal(await code(StartPasskeyRegistrationDocument, {}, access), 'STEP_UP_REQUIRED');

    const stepUp = await ok(StartStepUpDocument, {}, access);
    const assertion = authenticator.getAssertion({ options: stepUp.startStepUp.options as never, origin: ORIGIN });
    const stepped = await ok(FinishStepUpDocument, { input: { challengeId: stepUp.startStepUp.challengeId, response: assertion }, refreshToken: refreshed.refreshSession.refreshToken }, access);
    assert.ok(stepped.finishStepUp.session.stepUpAt);
    const second = await ok(StartPasskeyRegistrationDocument, {}, stepped.finishStepUp.accessToken.accessToken);
    assert.ok(second.startPasskeyRegistration.challengeId);
    otpTokens = { accessToken: stepped.finishStepUp.accessToken.accessToken, refreshToken: stepped.finishStepUp.refreshToken };
  });

  it('refresh rotates the token; presenting a spent one revokes the whole family', async () => {
    const first = await ok(RefreshSessionDocument, { refreshToken: otpTokens.refreshToken });
    const second = await ok(RefreshSessionDocument, { refreshToken: first.refreshSession.refreshToken });
    assert.equal(second.refreshSession.session.id, first.refreshSession.session.id);
    assert.equal(await code(RefreshSessionDocument, { refreshToken: first.refreshSession.refreshToken }), 'REFRESH_TOKEN_REUSED');
    assert.equal(await code(RefreshSessionDocument, { refreshToken: second.refreshSession.refreshToken }), 'UNAUTHENTICATED');
    const passkeySession = await ok(StartPasskeySignInDocument, { input: { id: uuidv7(), tenantId } });
    const assertion = authenticator.getAssertion({ options: passkeySession.startPasskeySignIn.options as never, origin: ORIGIN });
    const fresh = await ok(FinishPasskeySignInDocument, { input: { challengeId: passkeySession.startPasskeySignIn.challengeId, response: assertion } });
    const sessions = await ok(MySessionsDocument, { includeRevoked: true }, fresh.finishPasskeySignIn.accessToken.accessToken);
    const killed = sessions.sessions.find((s) => s.id === first.refreshSession.session.id);
    assert.equal(killed?.revokedReason, 'REFRESH_TOKEN_REUSED');
  });

  it('the audit trail shows each step, with personal data masked', async () => {
    type Event = AuditTrailQuery['auditEvents']['events'][number];
    const events = await eventually(async () => {
      const page = await ok(AuditTrailDocument, { filter: { tenantId }, first: 200 }, clientToken);
      const seen = new Set(page.auditEvents.events.map((e) => `${e.action}:${e.outcome}`));
      for (const expected of [
        'auth.client_credentials:SUCCESS',
        'auth.signin.start:SUCCESS',
        'auth.signin.code:FAILURE',
        'auth.signin.code:SUCCESS',
        'auth.passkey.register:SUCCESS',
        'auth.signin.passkey:SUCCESS',
        'auth.stepup:SUCCESS',
        'auth.token.refresh:SUCCESS',
        'auth.token.refresh:FAILURE',
      ]) {
        assert.ok(seen.has(expected), `audit has ${expected}; saw ${[...seen].join(', ')}`);
      }
      return page.auditEvents.events as Event[];
    });
    const reuse = events.find((e) => e.action === 'auth.token.refresh' && e.reason === 'REFRESH_TOKEN_REUSED');
    assert.ok(reuse, 'the reuse is recorded with its reason');
    const denied = events.find((e) => e.action === 'authz.denied' && e.reason === 'STEP_UP_REQUIRED');
    assert.ok(denied, 'the step-up refusal is recorded as a denial');
    assert.equal(denied.actorSubject, customerId);
    assert.ok(events.every((e) => e.correlationId), 'every event has the correlation id');
    const text = JSON.stringify(events);
    assert.ok(!text.includes(email), 'no clear e-mail in the audit trail');
    assert.ok(!/\bbrt_|\bbsk_/.test(text), 'no token or secret in the audit trail');
    // Other tenants' clients cannot read this tenant's trail.
    const otherClient = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: uuidv7(), scopes: ['audit:read'] });
    assert.equal(await code(AuditTrailDocument, { filter: { tenantId } }, otherClient), 'FORBIDDEN');
    const customer = await platform.mintToken({ subject: customerId, kind: 'customer', tenantId, scopes: [] });
    assert.equal(await code(AuditTrailDocument, {}, customer), 'FORBIDDEN');
  });
});
