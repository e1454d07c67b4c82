import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import {
  FinishPasskeyRegistrationDocument,
  FinishStepUpDocument,
  StartPasskeyRegistrationDocument,
  StartSignInDocument,
  StartStepUpDocument,
  VerifySignInCodeDocument,
} from '@baas/sdk';
import { eventually, SoftwareAuthenticator } from '@baas/testing';
import type { Customer, RiskWorld } from './risk-world';

/** The WebAuthn origin the test platform's identity subgraph expects (its default RP). */
const ORIGIN = 'http://localhost:3000';

/** A customer's real session: an access token from a one-time-code sign-in (no passkey assertion in it), its refresh token and a registered passkey. */
export type SignedIn = { id: string; tenantId: string; identity: string; refreshToken: string; authenticator: SoftwareAuthenticator };

/**
 * Signs the customer in as its app would (a one-time code sent by e-mail, read from the development
 * sink) and registers a passkey on a software authenticator. The session's access token carries no
 * recent passkey assertion: what a phished or stolen session looks like.
 */
export async function signInWithPasskey(w: RiskWorld, customer: Customer): Promise<SignedIn> {
  const challengeId = uuidv7();
  await w.ok(StartSignInDocument, { input: { id: challengeId, tenantId: customer.tenantId, channel: 'EMAIL', destination: customer.email } }, null);
  const otp = await eventually(async () => {
    const res = await fetch(new URL(`/dev/notifications?to=${encodeURIComponent(customer.email)}`, w.platform.subgraphUrls.identity!));
    const body = (await res.json()) as { notifications?: { code?: string }[] };
    const code = body.notifications?.[0]?.code;
    assert.ok(code, 'the one-time code was sent');
    return code;
  });
  const signedIn = await w.ok(VerifySignInCodeDocument, { challengeId, code: otp }, null);
  const access = signedIn.verifySignInCode.accessToken.accessToken;
  const authenticator = new SoftwareAuthenticator();
  const start = await w.ok(StartPasskeyRegistrationDocument, {}, access);
  const response = authenticator.createCredential({ options: start.startPasskeyRegistration.options as never, origin: ORIGIN });
  await w.ok(FinishPasskeyRegistrationDocument, { input: { challengeId: start.startPasskeyRegistration.challengeId, response, nickname: 'phone' } }, access);
  return { id: customer.id, tenantId: customer.tenantId, identity: access, refreshToken: signedIn.verifySignInCode.refreshToken, authenticator };
}

/** A passkey step-up on the session: the new access token carries a fresh assertion (stepUpAt). */
export async function stepUp(w: RiskWorld, s: SignedIn): Promise<SignedIn> {
  const start = await w.ok(StartStepUpDocument, {}, s.identity);
  const assertion = s.authenticator.getAssertion({ options: start.startStepUp.options as never, origin: ORIGIN });
  const done = await w.ok(FinishStepUpDocument, { input: { challengeId: start.startStepUp.challengeId, response: assertion }, refreshToken: s.refreshToken }, s.identity);
  assert.ok(done.finishStepUp.session.stepUpAt, 'the step-up is recorded on the session');
  return { ...s, identity: done.finishStepUp.accessToken.accessToken, refreshToken: done.finishStepUp.refreshToken };
}
