import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventually } from '@baas/testing';
import { createWorld, TRANSFER, type World } from './helpers/transfers-fixture';

describe('transfer saga crash recovery', () => {
  let w: World;
  before(async () => {
    w = await createWorld({ SAGA_STEP_DELAY_MS: '1500', SAGA_LEASE_SECONDS: '3', SAGA_RECOVERY_INTERVAL_MS: '200' });
  });
  after(async () => {
    await w?.stop();
  });

  it('finishes a saga interrupted while HELD after the subgraph restarts', async () => {
    const c = await w.newCustomer();
    const d = await w.newCustomer();
    const a = await w.openAccount(c);
    const b = await w.openAccount(d);
    await w.fund(a, '1000');
    const id = randomUUID();
    const inFlight = w.gql(TRANSFER, { input: { id, fromAccountId: a, toAccountId: b, amount: '300' } }, c.token).catch(() => null);
    const state = async () => (await w.sql.query<{ state: string; step: string | null }>('select state, step from accounts.transfer_saga where id = $1', [id])).rows[0];
    await eventually(async () => assert.equal((await state())?.state, 'HELD'), { attempts: 100, delayMs: 50 });
    assert.equal((await w.balance(a)).pendingDebits, 300n, 'the hold is in the ledger');

    await w.platform.stopSubgraph('accounts');
    await new Promise((r) => setTimeout(r, 2000)); // the interrupted request wakes up and abandons
    const stopped = await state();
    assert.equal(stopped?.state, 'HELD', `interrupted mid-way (step ${stopped?.step})`);
    await inFlight;

    await w.platform.restartSubgraph('accounts');
    const final = await eventually(
      async () => {
        const s = await state();
        assert.ok(s && (s.state === 'POSTED' || s.state === 'VOIDED'), `still ${s?.state}/${s?.step}`);
        return s;
      },
      { attempts: 100, delayMs: 200 },
    );
    const fa = await eventually(() => w.balance(a), { attempts: 50, delayMs: 200 });
    const fb = await w.balance(b);
    if (final.state === 'POSTED') {
      assert.deepEqual(fa, { posted: 700n, available: 700n, pendingDebits: 0n });
      assert.equal(fb.posted, 300n);
    } else {
      assert.deepEqual(fa, { posted: 1000n, available: 1000n, pendingDebits: 0n });
      assert.equal(fb.posted, 0n);
    }
    assert.equal(final.state, 'POSTED');
  });
});
