// The runnable demo (docs/demo.md): the journey of e2e/journey (a sandbox tenant, a customer through
// KYC on the real models, PIX, TED, a wire, a card, a mule refused by risk, signed webhooks, the
// statement, the ledger's proofs) against the platform `npm start` runs. In one terminal `npm start`,
// in another `npm run demo`.
//   GATEWAY_URL   the gateway (default http://127.0.0.1:4000/graphql)
//   JWT_KEY_FILE  the development signing key npm start made (default .data/dev/jwt-private.pem)
//   REDIS_URL     the risk subgraph's Redis, for the mule step (default redis://127.0.0.1:6379)
//   RISK_REDIS_PREFIX  its key prefix (the risk subgraph's REDIS_PREFIX, default risk:)
import { readFileSync } from 'node:fs';
import { importPKCS8 } from 'jose';
import { Redis } from 'ioredis';
import { signAccessToken, type Identity } from '@baas/auth';
import { runJourney } from '../e2e/journey/journey';
// What a signed-in customer's session carries (identity's own list).
import { CUSTOMER_SCOPES } from '../subgraphs/identity/src/domain/scopes';
// The scans' cache of graph features, as the risk subgraph reads it (what a graph scan writes).
import { createGraphFeatureCache } from '../subgraphs/risk/src/store/graph-feature-cache';

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const keyFile = process.env.JWT_KEY_FILE ?? new URL('../.data/dev/jwt-private.pem', import.meta.url).pathname;

let pem: string;
try {
  pem = readFileSync(keyFile, 'utf8');
} catch {
  console.error(`No signing key at ${keyFile}: start the platform first (npm start), which makes it.`);
  process.exit(1);
}
// As scripts/mint-token.ts mints development tokens.
const privateKey = await importPKCS8(pem, 'RS256');
const mint = (identity: Identity) =>
  signAccessToken(identity, { privateKey, kid: 'dev-1' }, { issuer: 'https://identity.baas.local', audience: 'baas-api', ttlSeconds: 3600 });

const health = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }).catch(() => null);
if (!health) {
  console.error(`The gateway does not answer at ${gatewayUrl}: run npm start in another terminal and wait for it to print its addresses.`);
  process.exit(1);
}

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2, lazyConnect: true });
const features = createGraphFeatureCache(redis, { prefix: `${process.env.RISK_REDIS_PREFIX ?? 'risk:'}gf` });

try {
  const result = await runJourney(
    {
      gatewayUrl,
      operatorToken: await mint({ subject: 'ops-demo', kind: 'operator', tenantId: null, scopes: [] }),
      customerToken: (tenantId, customerId) => mint({ subject: customerId, kind: 'customer', tenantId, scopes: [...CUSTOMER_SCOPES] }),
      webhookHost: process.env.WEBHOOK_HOST ?? '127.0.0.1',
      plantMule: (ledgerAccountId) => features.writeAccount(ledgerAccountId, { fraudDistance: 6, muleScore: 1 }),
    },
    (line) => console.log(line),
  );
  if (result.leftOut.length) console.log(`\nLeft out: ${result.leftOut.join('; ')}`);
} catch (error) {
  const e = error as { message?: string; code?: string };
  console.error(`\nThe journey stopped: ${e.message ?? String(error)}`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
