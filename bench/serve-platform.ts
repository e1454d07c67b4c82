// Starts the whole platform in this process (for benchmarks: the load generator runs in another
// process) and prints, as one JSON line, where it listens and what a client needs.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '@baas/testing';
import { startPlatform } from '@baas/test-platform';

const db = await createTestDatabase();
const ids = { tenant: randomUUID(), customer: randomUUID(), account: randomUUID() };
const client = new pg.Client({ connectionString: db.url });
await client.connect();
await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'bench', 'Bench')`, [ids.tenant]);
await client.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'Bench Customer')`, [ids.customer, ids.tenant]);
await client.query(
  `insert into accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit) values ($1, $2, $3, 'BRL', '0001', '424242', '1')`,
  [ids.account, ids.tenant, ids.customer],
);
await client.end();

// The ledger relays its events, so accounts serves balances from its read model as in production.
const platform = await startPlatform({ databaseUrl: db.url, gatewayEnv: { RATE_LIMIT_MAX: '100000000' }, env: { LEDGER_OUTBOX_RELAY: 'true' } });
const identity = { subject: ids.customer, kind: 'customer' as const, tenantId: ids.tenant, scopes: [] };
console.log(
  JSON.stringify({
    gatewayUrl: platform.gatewayUrl,
    subgraphUrls: platform.subgraphUrls,
    internalSecret: platform.internalSecret,
    token: await platform.mintToken(identity, 3600),
    operatorToken: await platform.mintToken({ subject: 'bench-operator', kind: 'operator', tenantId: null, scopes: [] }, 3600),
    identity,
    ids,
  }),
);
const stop = async () => {
  await platform.stop();
  await db.drop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
