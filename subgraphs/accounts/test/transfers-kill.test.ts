// The accounts subgraph runs as its own process here and is SIGKILLed in the middle of a transfer
// saga (no shutdown code runs, the in-flight request dies with it); started again on the same port,
// its recovery worker finishes the saga: POSTED or VOIDED, never stuck, balances exact either way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, CRASH_ENV, sagaState, settledTransfer, startHeldTransfer, TRANSFER, type TransferResult, type World } from './helpers/transfers-fixture';

describe('transfer saga after a SIGKILL of the accounts process', () => {
  let w: World;
  before(async () => {
    w = await createWorld(CRASH_ENV, { processes: ['accounts'] });
  });
  after(async () => {
    await w?.stop();
  });

  it('ends POSTED or VOIDED with exact balances once the killed process is back, and a repeat answers the outcome', async () => {
    const t = await startHeldTransfer(w);
    await w.platform.killSubgraph('accounts');
    const killed = await sagaState(w, t.id);
    assert.equal(killed?.state, 'HELD', `killed mid-way (step ${killed?.step})`);
    assert.ok((await t.inFlight).errors?.length, 'the in-flight request failed with the process');
    // The hold is still in the ledger (read there: the accounts subgraph is down) while nobody drives the saga.
    const ledger = await w.sql.query<{ debits_pending: string }>('select debits_pending from ledger.ledger_account where id = $1', [t.from]);
    assert.equal(ledger.rows[0]?.debits_pending, '300');

    await w.platform.restartSubgraph('accounts');
    const final = await settledTransfer(w, t.id, t.from, t.to, 1000n, 300n);
    const repeat = await w.gql<TransferResult>(TRANSFER, { input: t.input }, t.customer.token);
    assert.equal(repeat.data?.transfer.status, final, JSON.stringify(repeat));
  });
});
