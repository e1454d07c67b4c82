import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkInvariants, createRequestFactory, makeAccounts, opArb } from './helpers/history';
import { createLedgerAccounts, createLedgerFixture, verifyJournal } from './helpers/ledger-db';

/**
 * Random histories through the real writer and PostgreSQL: after every step debits equal credits
 * per currency, no guarded account is overdrawn, replays change nothing, and the chain verifies.
 */
describe('random histories on PostgreSQL (fast-check)', () => {
  let f: Awaited<ReturnType<typeof createLedgerFixture>>;
  before(async () => {
    f = await createLedgerFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('keep the ledger balanced, guarded and replay-safe', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 10 }), async (batches) => {
        const accounts = makeAccounts();
        await createLedgerAccounts(f.pool, accounts.map((a) => ({ id: a.id, tenantId: null, customerId: null, currency: a.currency, code: 1, flags: a.flags })));
        const ids = accounts.map((a) => a.id);
        const factory = createRequestFactory(accounts);
        for (const batch of batches) {
          const jobs = batch.map((op) => factory.toJob(op)).filter((j) => j.requests.length > 0);
          const before = await f.balances(ids);
          // Jobs of one step go in concurrently, so the writer batches them as it would under load.
          const results = await Promise.all(jobs.map((job) => f.writer.submit(job.requests, { linked: job.linked })));
          const afterStep = await f.balances(ids);
          assert.deepEqual(checkInvariants(afterStep.values()), []);
          if (results.flat().every((r) => r.status !== 'CREATED')) {
            assert.deepEqual([...afterStep.values()], [...before.values()], 'replays and refusals change nothing');
          }
          results.forEach((r, i) => {
            if (jobs[i]!.linked) assert.equal(new Set(r.map((x) => x.status === 'FAILED')).size, 1, 'linked: all or nothing');
          });
        }
      }),
      { numRuns: 12 },
    );
    assert.equal((await verifyJournal(f.pool)).ok, true);
  });
});
