import { randomInt } from 'node:crypto';
import { cpfCheckDigits } from '@baas/br-documents';
import {
  AccountByIdDocument,
  ClientCredentialsTokenDocument,
  CreateApiClientDocument,
  CreateKycApplicationDocument,
  CreateTenantDocument,
  CreateWebhookEndpointDocument,
  CustomerKycDocument,
  JourneyAccountLedgerDocument,
  JourneySetRiskSettingsDocument,
  KycApplicationDocument,
  OpenAccountDocument,
  RequestKycDocumentUploadDocument,
  SetTenantAccountSettingsDocument,
  SignUpCustomerDocument,
  SubmitKycApplicationDocument,
} from '@baas/sdk';
import { startWebhookReceiver, type WebhookReceiver } from '@baas/webhook-receiver';
import { cnhWithFace, goldenOf, selfiePng } from '../kyc/kyc-documents';
import { expect, JourneyError, newId, short, until, type Gateway, type JourneyLog } from './journey-client';

/** What a tenant's backend may do in the journey (identity's API_CLIENT_SCOPES it needs). */
export const JOURNEY_CLIENT_SCOPES = ['customers:read', 'customers:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:write', 'tenant:write', 'webhooks:read', 'webhooks:write'];

export type Sandbox = { tenantId: string; clientId: string; clientToken: string };
export type Person = { id: string; token: string };
export type Account = { id: string; ledgerAccountId: string; currency: string };

/** An operator creates a sandbox tenant (BRL and USD accounts) and its API client; the client signs in with its credentials. */
export async function createSandbox(gw: Gateway, log: JourneyLog, operatorToken: string): Promise<Sandbox> {
  const tenantId = newId();
  await gw.ok(CreateTenantDocument, { input: { id: tenantId, slug: `journey-${tenantId.slice(-12)}`, name: 'Journey Fintech', sandbox: true } }, operatorToken);
  await gw.ok(SetTenantAccountSettingsDocument, { input: { tenantId, currencies: ['BRL', 'USD'] } }, operatorToken);
  // The fraud model reads the hour of the day among others: a demo at 3 a.m. must not be stepped up
  // on the score alone. Risk still scores every movement, and its rules (mules, fraudsters, limits) still apply.
  await gw.ok(JourneySetRiskSettingsDocument, { input: { tenantId, reviewAtBps: 10000, blockAtBps: 10000 } }, operatorToken);
  log(`Operator: created sandbox tenant "Journey Fintech" (${short(tenantId)}), accounts in BRL and USD, risk decides by its rules (not by the score alone).`);
  const clientId = newId();
  const made = await gw.ok(CreateApiClientDocument, { input: { id: clientId, tenantId, name: 'journey backend', scopes: JOURNEY_CLIENT_SCOPES } }, operatorToken);
  expect(made.createApiClient.clientSecret, 'the new client has a secret');
  const token = await gw.ok(ClientCredentialsTokenDocument, { clientId, clientSecret: made.createApiClient.clientSecret, scope: JOURNEY_CLIENT_SCOPES.join(' ') }, null);
  log(`Operator: created the tenant's API client ${short(clientId)}; the backend exchanged its credentials for an access token (scopes: ${token.clientCredentialsToken.scope}).`);
  return { tenantId, clientId, clientToken: token.clientCredentialsToken.accessToken };
}

/** The tenant subscribes a local verifying receiver to every event. */
export async function subscribeWebhooks(gw: Gateway, log: JourneyLog, sandbox: Sandbox, host: string): Promise<{ endpointId: string; receiver: WebhookReceiver }> {
  const receiver = await startWebhookReceiver({ secrets: [], host });
  const endpointId = newId();
  const made = await gw.ok(CreateWebhookEndpointDocument, { input: { id: endpointId, url: `${receiver.url}/journey`, eventTypes: ['>'] } }, sandbox.clientToken);
  receiver.setSecrets([made.createWebhookEndpoint.secret!]);
  log(`Client: webhook endpoint ${short(endpointId)} → ${receiver.url} (every event, Standard Webhooks signatures checked on arrival).`);
  return { endpointId, receiver };
}

/** The client onboards a person (a valid CPF of play data); the customer's app gets a token. */
export async function onboardCustomer(gw: Gateway, log: JourneyLog, sandbox: Sandbox, customerToken: (tenantId: string, customerId: string) => Promise<string>, label: string): Promise<Person> {
  const id = newId();
  const base = String(randomInt(100_000_000, 999_999_999));
  await gw.ok(SignUpCustomerDocument, { input: { id, kind: 'PERSON', displayName: label, taxId: base + cpfCheckDigits(base), email: `journey.${id.slice(-12)}@example.com` } }, sandbox.clientToken);
  log(`Client: onboarded customer ${short(id)} (${label}).`);
  return { id, token: await customerToken(sandbox.tenantId, id) };
}

const JOAO = 'cnh-joao-conceicao-araujo.png';

/** KYC on the real models: a rendered CNH with the applicant's face and a selfie of the same person. */
export async function passKyc(gw: Gateway, log: JourneyLog, customer: Person, operatorToken: string): Promise<{ applicationId: string; state: string; level: number }> {
  const g = goldenOf(JOAO);
  const app = (await gw.ok(CreateKycApplicationDocument, { input: { id: newId(), applicant: { fullName: g.fullName, cpf: g.cpf, dateOfBirth: g.dateOfBirth } } }, customer.token)).createKycApplication;
  for (const [documentType, bytes] of [['CNH', cnhWithFace(JOAO, 'person-a-1.jpg')], ['SELFIE', selfiePng('person-a-5.jpg')]] as const) {
    const upload = (await gw.ok(RequestKycDocumentUploadDocument, { input: { id: newId(), applicationId: app.id, documentType } }, customer.token)).requestKycDocumentUpload;
    const res = await fetch(upload.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    if (res.status !== 201) throw new JourneyError(`KYC upload of the ${documentType} answered ${res.status}`);
  }
  await gw.ok(SubmitKycApplicationDocument, { id: app.id }, customer.token);
  log(`Customer: KYC application ${short(app.id)} submitted with a rendered CNH (their face on it) and a selfie; OCR, face match, liveness and screening run on the real models…`);
  const decided = await until(
    'the KYC decision',
    async () => (await gw.ok(KycApplicationDocument, { id: app.id }, operatorToken)).kycApplication!,
    (a) => !['SUBMITTED', 'PROCESSING'].includes(a.state),
    180_000,
  );
  // The customer's level follows the decision (kyc.level.changed): read it once it moved.
  const kyc = (
    await until(
      'the customer KYC level',
      async () => (await gw.ok(CustomerKycDocument, { id: customer.id }, customer.token)).customer?.kyc,
      (k) => decided.state !== 'APPROVED' || (k?.level ?? 0) >= 1,
      30_000,
    ).catch(async () => (await gw.ok(CustomerKycDocument, { id: customer.id }, customer.token)).customer?.kyc)
  );
  log(`KYC: ${decided.state}${decided.decision?.reasons.length ? ` (${decided.decision.reasons.join(', ')})` : ''}; the customer is at KYC level ${kyc?.level ?? 0}.`);
  return { applicationId: app.id, state: decided.state, level: kyc?.level ?? 0 };
}

/** The customer opens an account in `currency`. */
export async function openAccount(gw: Gateway, customer: Person, currency: string, operatorToken: string): Promise<Account> {
  const id = newId();
  await gw.ok(OpenAccountDocument, { input: { id, currency } }, customer.token);
  const read = await gw.ok(JourneyAccountLedgerDocument, { id }, operatorToken);
  expect(read.account?.ledgerAccount.id, `the ledger account behind ${id}`);
  return { id, ledgerAccountId: read.account.ledgerAccount.id, currency };
}

/** Posted and available balance, in minor units, as the customer reads it. */
export async function balanceOf(gw: Gateway, account: Account, token: string): Promise<{ posted: bigint; available: bigint }> {
  const data = await gw.ok(AccountByIdDocument, { id: account.id }, token);
  expect(data.account, `account ${account.id}`);
  return { posted: BigInt(data.account.balance.posted.minorUnits), available: BigInt(data.account.balance.available.minorUnits) };
}
