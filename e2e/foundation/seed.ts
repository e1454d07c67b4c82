import { randomUUID } from 'node:crypto';
import pg from 'pg';

export type Seeded = {
  tenantA: string;
  tenantB: string;
  alice: string; // customer of tenant A
  bob: string; // customer of tenant B
  carol: string; // customer of tenant A, used where many requests are made
  aliceAccount: string;
  bobAccount: string;
  carolAccount: string;
};

/** Test fixtures written straight into the subgraphs' tables (their mutations come in later issues). */
export async function seed(databaseUrl: string): Promise<Seeded> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const s: Seeded = {
      tenantA: randomUUID(),
      tenantB: randomUUID(),
      alice: randomUUID(),
      bob: randomUUID(),
      carol: randomUUID(),
      aliceAccount: randomUUID(),
      bobAccount: randomUUID(),
      carolAccount: randomUUID(),
    };
    await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'acme', 'Acme Pay'), ($2, 'globex', 'Globex Bank')`, [s.tenantA, s.tenantB]);
    await client.query(
      `insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'Alice'), ($3, $4, 'BUSINESS', 'Bob Ltda'), ($5, $2, 'PERSON', 'Carol')`,
      [s.alice, s.tenantA, s.bob, s.tenantB, s.carol],
    );
    await client.query(
      `insert into accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit)
       values ($1, $2, $3, 'BRL', '0001', '100001', '7'), ($4, $5, $6, 'BRL', '0001', '200002', '3'),
              ($7, $2, $8, 'USD', '0001', '300003', '5')`,
      [s.aliceAccount, s.tenantA, s.alice, s.bobAccount, s.tenantB, s.bob, s.carolAccount, s.carol],
    );
    return s;
  } finally {
    await client.end();
  }
}
