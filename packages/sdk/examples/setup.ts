// Shared by the examples: a sandbox tenant, its API client, and a signed-in customer, on the platform
// `npm start` runs. Configuration (environment):
//   BAAS_ENDPOINT        the gateway (default http://localhost:4000/graphql)
//   BAAS_OPERATOR_TOKEN  an operator's token: npx tsx scripts/mint-token.ts --kind operator --subject ops-1
//   BAAS_IDENTITY_URL    the identity service, whose development sink serves one-time codes (default http://localhost:4101)
import { randomUUID } from 'node:crypto';
import {
  ClientCredentialsTokenDocument,
  CreateApiClientDocument,
  CreateTenantDocument,
  createBaasClient,
  SignUpCustomerDocument,
  StartSignInDocument,
  VerifySignInCodeDocument,
  type BaasClient,
} from '@baas/sdk';

export const endpoint = process.env.BAAS_ENDPOINT ?? 'http://localhost:4000/graphql';
const identityUrl = process.env.BAAS_IDENTITY_URL ?? 'http://localhost:4101';

export function operatorClient(): BaasClient {
  const token = process.env.BAAS_OPERATOR_TOKEN;
  if (!token) throw new Error('set BAAS_OPERATOR_TOKEN: npx tsx scripts/mint-token.ts --kind operator --subject ops-1');
  return createBaasClient({ endpoint, token });
}

export type Sandbox = { tenantId: string; backend: BaasClient; customer: BaasClient; customerId: string };

/** A valid CPF for a 9-digit base (the two check digits appended). */
function cpf(base: string): string {
  const digit = (digits: string) => {
    const sum = [...digits].reduce((s, d, i) => s + Number(d) * (digits.length + 1 - i), 0);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  const first = digit(base);
  return `${base}${first}${digit(`${base}${first}`)}`;
}

/** The one-time code the platform "sent" (the development sink; a real app asks its user). */
async function readCode(destination: string, challengeId: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const url = `${identityUrl}/dev/notifications?to=${encodeURIComponent(destination)}&challengeId=${challengeId}`;
    const body = (await (await fetch(url)).json()) as { notifications: { code?: string }[] };
    const code = body.notifications[0]?.code;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no sign-in code arrived (is DEV_NOTIFICATION_SINK on? `npm start` turns it on)');
}

export async function sandbox(scopes: string[]): Promise<Sandbox> {
  const operator = operatorClient();
  const slug = `sdk-example-${randomUUID().slice(0, 8)}`;
  const { createTenant } = await operator.request(CreateTenantDocument, { input: { id: randomUUID(), slug, name: 'SDK example', sandbox: true } });
  const tenantId = createTenant.tenant.id;

  // The tenant's backend: an API client, signed in with the client-credentials grant.
  const { createApiClient } = await operator.request(CreateApiClientDocument, {
    input: { id: randomUUID(), tenantId, name: 'example backend', scopes: ['customers:write', ...scopes] },
  });
  const clientSecret = createApiClient.clientSecret; // shown once: a real backend keeps it in its secret store
  if (!clientSecret) throw new Error('the API client came back without its secret');
  const { clientCredentialsToken } = await createBaasClient({ endpoint }).request(ClientCredentialsTokenDocument, {
    clientId: createApiClient.client.id,
    clientSecret,
  });
  const backend = createBaasClient({ endpoint, token: clientCredentialsToken.accessToken });

  // A customer signs up (through the backend) and signs in with the e-mailed code.
  const email = `ana.${randomUUID().slice(0, 8)}@example.com`;
  const taxId = cpf(String(100_000_000 + Math.floor(Math.random() * 899_999_999)));
  const { createCustomer } = await backend.request(SignUpCustomerDocument, { input: { id: randomUUID(), tenantId, kind: 'PERSON', displayName: 'Ana Souza', taxId, email } });
  const challengeId = randomUUID();
  await createBaasClient({ endpoint }).request(StartSignInDocument, { input: { id: challengeId, tenantId, channel: 'EMAIL', destination: email } });
  const code = await readCode(email, challengeId);
  const { verifySignInCode } = await createBaasClient({ endpoint }).request(VerifySignInCodeDocument, { challengeId, code });
  // A provider: an app that refreshes (RefreshSessionDocument with verifySignInCode.refreshToken) updates what it returns.
  const accessToken = verifySignInCode.accessToken.accessToken;
  const customer = createBaasClient({ endpoint, token: () => accessToken });
  return { tenantId, backend, customer, customerId: createCustomer.customer.id };
}
