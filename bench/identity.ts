// npm run bench:identity — sign-in and token-refresh latency, through the gateway and straight to the
// identity subgraph (the baseline), in one run against the same stores. The platform runs in a child
// process; the load generator holds a software passkey authenticator.
//   npm run bench:identity -- [requests] [concurrency]
import { randomUUID } from 'node:crypto';
import { signIdentityAssertion, type Identity } from '@baas/auth';
import { must, post, servePlatform, type Body } from './served';
import { SoftwareAuthenticator } from '@baas/testing';
import { formatRow, HEADER, runLoad, type LoadResult } from './load';

const REQUESTS = Number(process.argv[2] ?? 1000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const ORIGIN = 'http://localhost:3000';

const { served, child } = await servePlatform();
/** Where a call goes: through the gateway (bearer token), or straight to the identity subgraph (the gateway's signed identity header). */
type Route = { name: string; call: (query: string, variables?: unknown, identity?: { token: string; identity: Identity }) => Promise<Body> };
const viaGateway: Route = { name: 'gateway', call: (q, v, who) => post(served.gatewayUrl, who ? { authorization: `Bearer ${who.token}` } : {}, q, v) };
const direct: Route = {
  name: 'identity direct',
  call: async (q, v, who) => post(served.subgraphUrls.identity!, who ? { 'x-baas-identity': await signIdentityAssertion(who.identity, served.internalSecret) } : {}, q, v),
};

const START = 'mutation S($input: StartPasskeySignInInput!) { startPasskeySignIn(input: $input) { challengeId options } }';
const FINISH = 'mutation F($input: FinishPasskeyAssertionInput!) { finishPasskeySignIn(input: $input) { accessToken { accessToken } refreshToken session { id } } }';
const REFRESH = 'mutation R($t: String!) { refreshSession(refreshToken: $t) { accessToken { accessToken } refreshToken } }';
const CLIENT_TOKEN = 'mutation C($id: ID!, $secret: String!) { clientCredentialsToken(clientId: $id, clientSecret: $secret) { accessToken } }';

const authenticator = new SoftwareAuthenticator({ counter: 'zero' }); // synced-passkey style: no counter to serialise on
try {
  // Fixtures: a passkey for the customer, an API client for the tenant.
  const customer = { token: served.token, identity: served.identity };
  const reg = must(await viaGateway.call('mutation { startPasskeyRegistration { challengeId options } }', {}, customer), 'start registration');
  const response = authenticator.createCredential({ options: reg.startPasskeyRegistration.options, origin: ORIGIN });
  must(await viaGateway.call('mutation F($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id } }', { input: { challengeId: reg.startPasskeyRegistration.challengeId, response } }, customer), 'finish registration');
  const client = must(
    await post(served.gatewayUrl, { authorization: `Bearer ${served.operatorToken}` }, 'mutation A($input: CreateApiClientInput!) { createApiClient(input: $input) { clientSecret client { id } } }', {
      input: { id: randomUUID(), tenantId: served.ids.tenant, name: 'bench', scopes: ['customers:write'] },
    }),
    'api client',
  ).createApiClient;

  const passkeySignIn = (route: Route) => async () => {
    const start = must(await route.call(START, { input: { id: randomUUID(), tenantId: served.ids.tenant } }), 'start');
    const assertion = authenticator.getAssertion({ options: start.startPasskeySignIn.options, origin: ORIGIN });
    const done = await route.call(FINISH, { input: { challengeId: start.startPasskeySignIn.challengeId, response: assertion } });
    return !done.errors;
  };
  // Each concurrent client refreshes its own session: a refresh token works once.
  const refreshChain = async (route: Route) => {
    const tokens: string[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const start = must(await route.call(START, { input: { id: randomUUID(), tenantId: served.ids.tenant } }), 'start');
      const assertion = authenticator.getAssertion({ options: start.startPasskeySignIn.options, origin: ORIGIN });
      tokens.push(must(await route.call(FINISH, { input: { challengeId: start.startPasskeySignIn.challengeId, response: assertion } }), 'sign in').finishPasskeySignIn.refreshToken);
    }
    let next = 0;
    const free = [...tokens];
    return async () => {
      const token = free.pop() ?? tokens[next++ % tokens.length]!;
      const out = await route.call(REFRESH, { t: token });
      if (out.errors) return false;
      free.push(out.data!.refreshSession.refreshToken);
      return true;
    };
  };
  const clientCredentials = (route: Route) => async () => !(await route.call(CLIENT_TOKEN, { id: client.client.id, secret: client.clientSecret })).errors;

  for (const route of [direct, viaGateway]) {
    await runLoad({ name: 'warmup', requests: 200, concurrency: CONCURRENCY, send: passkeySignIn(route) });
    await runLoad({ name: 'warmup', requests: 200, concurrency: CONCURRENCY, send: await refreshChain(route) });
  }
  const results: LoadResult[] = [];
  for (const route of [direct, viaGateway]) {
    results.push(await runLoad({ name: `passkey sign-in (2 calls): ${route.name}`, requests: REQUESTS, concurrency: CONCURRENCY, send: passkeySignIn(route) }));
    results.push(await runLoad({ name: `refresh: ${route.name}`, requests: REQUESTS, concurrency: CONCURRENCY, send: await refreshChain(route) }));
    results.push(await runLoad({ name: `client credentials: ${route.name}`, requests: REQUESTS, concurrency: CONCURRENCY, send: clientCredentials(route) }));
  }
  console.log(`\n${REQUESTS} requests per scenario, ${CONCURRENCY} concurrent clients, keep-alive, node ${process.version}`);
  console.log(HEADER);
  for (const r of results) console.log(formatRow(r));
  const by = (name: string) => results.find((r) => r.name === name)!;
  const signIn = by('passkey sign-in (2 calls): gateway');
  const refresh = by('refresh: gateway');
  console.log(
    `\nidentity: sign-in p99 ${signIn.p99.toFixed(1)} ms (direct ${by('passkey sign-in (2 calls): identity direct').p99.toFixed(1)}), refresh p99 ${refresh.p99.toFixed(1)} ms (direct ${by('refresh: identity direct').p99.toFixed(1)}), errors ${results.reduce((n, r) => n + r.errors, 0)}`,
  );
} finally {
  child.kill('SIGTERM');
}
