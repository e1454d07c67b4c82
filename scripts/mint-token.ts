// Mints a development access token signed with the key `npm start` gives the identity subgraph
// (.data/dev/jwt-private.pem), for the GraphQL IDE or curl:
//   npx tsx scripts/mint-token.ts --kind customer --subject <customerId> --tenant <tenantId> [--scopes "a b"] [--ttl 3600]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importPKCS8 } from 'jose';
import { isPrincipalKind, signAccessToken } from '@baas/auth';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'operator' },
    subject: { type: 'string', default: 'ops-dev' },
    tenant: { type: 'string' },
    scopes: { type: 'string', default: '' },
    ttl: { type: 'string', default: '3600' },
    key: { type: 'string', default: new URL('../.data/dev/jwt-private.pem', import.meta.url).pathname },
    kid: { type: 'string', default: 'dev-1' },
  },
});
if (!isPrincipalKind(values.kind)) throw new Error('--kind must be customer, operator, api_client or service');
const privateKey = await importPKCS8(readFileSync(values.key, 'utf8'), 'RS256');
const token = await signAccessToken(
  { subject: values.subject!, kind: values.kind, tenantId: values.tenant ?? null, scopes: values.scopes!.split(' ').filter(Boolean) },
  { privateKey, kid: values.kid! },
  { issuer: 'https://identity.baas.local', audience: 'baas-api', ttlSeconds: Number(values.ttl) },
);
console.log(token);
