import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, CRASH_ENV, sagaState, settledTransfer, startHeldTransfer, type World } from './helpers/transfers-fixture';

describe('transfer saga crash recovery', () => {
  let w: World;
  before(async () => {
    w = await createWorld(CRASH_ENV);
  });
  after(async () => {
    await w?.stop();
  });

  it('finishes a saga interrupted while HELD after the subgraph restarts', async () => {
    const t = await startHeldTransfer(w);
    assert.equal((await w.balance(t.from)).pendingDebits, 300n, 'the hold is in the ledger');

    await w.platform.stopSubgraph('accounts');
    await new Promise((r) => setTimeout(r, 2000)); // the interrupted request wakes up and abandons
    const stopped = await sagaState(w, t.id);
    assert.equal(stopped?.state, 'HELD', `interrupted mid-way (step ${stopped?.step})`);
    await t.inFlight;

    await w.platform.restartSubgraph('accounts');
    assert.equal(await settledTransfer(w, t.id, t.from, t.to, 1000n, 300n), 'POSTED');
  });
});
