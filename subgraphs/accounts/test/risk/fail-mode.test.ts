import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uuidv7 } from '@baas/db';
import { createWorld, TRANSFER, type TransferResult, type World } from '../helpers/transfers-fixture';

/*
 * The tenant's fail mode when risk cannot answer, through the gateway: accounts' RISK_URL points at a
 * tiny local HTTP server standing in for a risk subgraph that answers 500. A fail-OPEN tenant (the
 * default) moves money, a fail-CLOSED tenant's transfer is refused at request time (RISK_DECLINED,
 * reason RISK_UNAVAILABLE), and each decision is counted on accounts' /metrics.
 */

const SETTINGS = `mutation S($input: TenantAccountSettingsInput!) { setTenantAccountSettings(input: $input) { tenantId riskFailMode } }`;
const READ = `query R($tenantId: ID) { tenantAccountSettings(tenantId: $tenantId) { riskFailMode } }`;

describe('accounts: the tenant fail mode when risk is down', () => {
  let w: World;
  let down: Server;
  let asked = 0;

  before(async () => {
    down = createServer((_req, res) => {
      asked += 1;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"down","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}');
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    w = await createWorld({ SAGA_STEP_DELAY_MS: '0', RISK_URL: `http://127.0.0.1:${(down.address() as AddressInfo).port}/graphql`, RISK_TIMEOUT_MS: '2000' });
  });

  after(async () => {
    await w?.stop();
    down?.closeAllConnections();
    await new Promise<void>((resolve) => down?.close(() => resolve()));
  });

  async function fundedPair() {
    const alice = await w.newCustomer();
    const bob = await w.newCustomer();
    const from = await w.openAccount(alice);
    const to = await w.openAccount(bob);
    await w.fund(from, '10000');
    return { alice, from, to };
  }

  it('lets a fail-OPEN tenant (the default) move money, counted as RISK_UNAVAILABLE', async () => {
    const read = await w.gql<{ tenantAccountSettings: { riskFailMode: string } }>(READ, {}, w.backend);
    assert.equal(read.data?.tenantAccountSettings.riskFailMode, 'OPEN');
    const { alice, from, to } = await fundedPair();
    const before = asked;
    const r = await w.gql<TransferResult>(TRANSFER, { input: { id: uuidv7(), fromAccountId: from, toAccountId: to, amount: '300' } }, alice.token);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data?.transfer.status, 'POSTED');
    assert.ok(asked >= before + 2, 'risk was asked at request time and again by the saga');
    assert.equal((await w.balance(to)).posted, 300n);
    const metrics = await fetch(w.platform.subgraphUrls['accounts']!.replace(/\/graphql$/, '/metrics')).then((res) => res.text());
    assert.match(metrics, /risk_unavailable_total\{rail="TRANSFER",fail_mode="OPEN"\} [1-9]/);
  });

  it('refuses a fail-CLOSED tenant transfer at request time, moving nothing', async () => {
    const set = await w.gql<{ setTenantAccountSettings: { riskFailMode: string } }>(SETTINGS, { input: { tenantId: w.tenant, currencies: ['BRL'], riskFailMode: 'CLOSED' } }, w.operator);
    assert.equal(set.errors, undefined, JSON.stringify(set.errors));
    assert.equal(set.data?.setTenantAccountSettings.riskFailMode, 'CLOSED');
    // Replacing the limits without naming the mode keeps it.
    await w.gql(SETTINGS, { input: { tenantId: w.tenant, currencies: ['BRL'] } }, w.operator);
    const read = await w.gql<{ tenantAccountSettings: { riskFailMode: string } }>(READ, {}, w.backend);
    assert.equal(read.data?.tenantAccountSettings.riskFailMode, 'CLOSED');

    const { alice, from, to } = await fundedPair();
    const id = uuidv7();
    for (const token of [alice.token, w.backend]) {
      const r = await w.gql<TransferResult>(TRANSFER, { input: { id, fromAccountId: from, toAccountId: to, amount: '300' } }, token);
      const error = r.errors?.[0];
      assert.equal(error?.extensions?.code, 'RISK_DECLINED', JSON.stringify(r));
      assert.match(JSON.stringify(error?.extensions), /RISK_UNAVAILABLE/);
    }
    assert.equal((await w.sql.query('select 1 from accounts.transfer_saga where id = $1', [id])).rowCount, 0, 'no saga was started');
    assert.deepEqual(await w.balance(from), { posted: 10000n, available: 10000n, pendingDebits: 0n });
    const metrics = await fetch(w.platform.subgraphUrls['accounts']!.replace(/\/graphql$/, '/metrics')).then((res) => res.text());
    assert.match(metrics, /risk_unavailable_total\{rail="TRANSFER",fail_mode="CLOSED"\} [1-9]/);
  });
});
