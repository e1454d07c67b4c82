import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { legacyAccountRequestHash } from '../../src/domain/ledger-account';
import { createLedgerAccountStore } from '../../src/store/ledger-account-store';
import { createLedgerAccounts } from '../../src/use-cases/create-ledger-accounts';
import { count, createLedgerFixture, TEST_SERVICE } from '../helpers/ledger-db';

describe('createLedgerAccounts (real PostgreSQL)', () => {
  let f: Awaited<ReturnType<typeof createLedgerFixture>>;
  let deps: Parameters<typeof createLedgerAccounts>[0];
  before(async () => {
    f = await createLedgerFixture();
    deps = { accounts: createLedgerAccountStore(f.pool) };
  });
  after(async () => {
    await f?.close();
  });

  const request = (extra: Partial<{ currency: string; flags: number; code: number }> = {}) => ({ id: randomUUID(), tenantId: null, customerId: null, currency: 'BRL', code: 100, flags: 0, ...extra });

  it('creates, replays the same request, and refuses another request under the same id', async () => {
    const r = request();
    assert.deepEqual(await createLedgerAccounts(deps, TEST_SERVICE, { accounts: [r] }), [{ id: r.id, status: 'CREATED' }]);
    assert.deepEqual(await createLedgerAccounts(deps, TEST_SERVICE, { accounts: [r] }), [{ id: r.id, status: 'REPLAYED' }]);
    assert.deepEqual(await createLedgerAccounts(deps, TEST_SERVICE, { accounts: [{ ...r, code: 101 }] }), [{ id: r.id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED' }]);
  });

  it('replays an account stored with the hash written before @baas/idempotency', async () => {
    const r = request({ flags: 1 });
    await f.pool.query(
      `INSERT INTO ledger.ledger_account (id, tenant_id, customer_id, currency, code, flags, request_hash) VALUES ($1, NULL, NULL, 'BRL', 100, 1, $2)`,
      [r.id, legacyAccountRequestHash(r)],
    );
    assert.deepEqual(await createLedgerAccounts(deps, TEST_SERVICE, { accounts: [r] }), [{ id: r.id, status: 'REPLAYED' }]);
    assert.deepEqual(await createLedgerAccounts(deps, TEST_SERVICE, { accounts: [{ ...r, flags: 0 }] }), [{ id: r.id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED' }]);
  });

  it('refuses a bad currency or flags per item, and everyone but internal services and operators, writing nothing', async () => {
    const [bad, flags, good] = [request({ currency: 'XYZ' }), request({ flags: 3 }), request()];
    const results = await createLedgerAccounts(deps, TEST_SERVICE, { accounts: [bad, flags, good] });
    assert.deepEqual(results.map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['INVALID_CURRENCY', 'INVALID_FLAGS', 'CREATED']);
    const before = await count(f.pool, 'ledger_account');
    const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: randomUUID(), scopes: ['accounts:write'] };
    await assert.rejects(createLedgerAccounts(deps, client, { accounts: [request()] }), { code: 'FORBIDDEN' });
    await assert.rejects(createLedgerAccounts(deps, null, { accounts: [request()] }), { code: 'UNAUTHENTICATED' });
    assert.equal(await count(f.pool, 'ledger_account'), before);
  });
});
