// Development data for `npm start` (never run by tests or in production): one sandbox tenant, a
// customer and two accounts, with fixed ids so it is idempotent and the printed examples stay true.
//   npx tsx scripts/seed-dev.ts <databaseUrl>
import pg from 'pg';

export const DEV = {
  tenant: '00000000-0000-7000-8000-000000000001',
  customer: '00000000-0000-7000-8000-000000000002',
  accountBrl: '00000000-0000-7000-8000-000000000003',
  accountUsd: '00000000-0000-7000-8000-000000000004',
} as const;

const url = process.argv[2] ?? 'postgresql://baas:baas@127.0.0.1:5432/baas';
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await client.query('begin');
  await client.query(`insert into identity.tenant (id, slug, name, sandbox) values ($1, 'dev-fintech', 'Dev Fintech (sandbox)', true) on conflict do nothing`, [DEV.tenant]);
  await client.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'Ana Developer') on conflict do nothing`, [DEV.customer, DEV.tenant]);
  await client.query(
    `insert into accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit)
     values ($1, $3, $4, 'BRL', '0001', '000001', '9'), ($2, $3, $4, 'USD', '0001', '000002', '7') on conflict do nothing`,
    [DEV.accountBrl, DEV.accountUsd, DEV.tenant, DEV.customer],
  );
  // The sandbox tenant offers BRL and USD accounts (their ledger accounts open on first use).
  await client.query(`insert into accounts.tenant_settings (tenant_id, currencies) values ($1, '{BRL,USD}') on conflict do nothing`, [DEV.tenant]);
  await client.query('commit');
  console.log(`development data: tenant ${DEV.tenant}, customer ${DEV.customer}`);
} finally {
  await client.end();
}
