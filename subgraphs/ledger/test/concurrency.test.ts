import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TransferResult } from '../src/domain/types';
import { checkInvariants } from './helpers/history';
import { createLedgerFixture, single, verifyJournal } from './helpers/ledger-db';

const created = (results: TransferResult[]) => results.filter((r) => r.status === 'CREATED').length;

/**
 * The races other ledgers have shipped, as regression tests: a concurrent credit lost while a
 * debit holds the lock; a balance read outside the transaction; pending debits not counted
 * against the available balance. Hundreds of transfers in flight at once on one hot account,
 * from one writer and from two (two ledger instances), must leave exact balances.
 */
describe('ledger concurrency on one hot account', () => {
  let f: Awaited<ReturnType<typeof createLedgerFixture>>;
  before(async () => {
    f = await createLedgerFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('500 debits and 200 credits in flight at once: no lost update, no overdraft, exact balances', async () => {
    const [funding, hot, sink] = await f.accounts([{}, { flags: 1 }, {}]);
    await f.writer.submit([single(funding!, hot!, 10_000n)]);
    const debits = Array.from({ length: 500 }, () => f.writer.submit([single(hot!, sink!, 37n)]));
    const credits = Array.from({ length: 200 }, () => f.writer.submit([single(funding!, hot!, 5n)]));
    const [d, c] = await Promise.all([Promise.all(debits), Promise.all(credits)]);
    const okDebits = created(d.flat());
    assert.equal(created(c.flat()), 200, 'credits never fail');
    const b = (await f.balances([hot!])).get(hot!)!;
    assert.equal(b.creditsPosted, 10_000n + 200n * 5n);
    assert.equal(b.debitsPosted, BigInt(okDebits) * 37n);
    assert.ok(b.debitsPosted <= b.creditsPosted, 'never overdrawn');
    assert.ok(okDebits >= Math.floor(10_000 / 37), 'what the initial funds cover always goes through');
    assert.deepEqual(new Set(d.flat().flatMap((r) => (r.status === 'FAILED' ? [r.error] : []))), new Set(okDebits < 500 ? ['INSUFFICIENT_FUNDS'] : []));
  });

  it('two ledger instances racing on the same account: exact, no deadlock', async () => {
    const [funding, hot, sink] = await f.accounts([{}, { flags: 1 }, {}]);
    await f.writer.submit([single(funding!, hot!, 3_000n)]);
    const other = f.secondWriter();
    try {
      const one = Array.from({ length: 300 }, () => f.writer.submit([single(hot!, sink!, 7n)]));
      const two = Array.from({ length: 300 }, () => other.writer.submit([single(hot!, sink!, 7n)]));
      const credits = Array.from({ length: 100 }, (_, i) => (i % 2 ? f.writer : other.writer).submit([single(funding!, hot!, 3n)]));
      const all = (await Promise.all([...one, ...two, ...credits])).flat();
      const okDebits = all.filter((r) => r.status === 'CREATED' && r.transfer.debitAccountId === hot).length;
      const b = (await f.balances([hot!])).get(hot!)!;
      assert.equal(b.creditsPosted, 3_000n + 300n);
      assert.equal(b.debitsPosted, BigInt(okDebits) * 7n);
      assert.ok(b.debitsPosted <= b.creditsPosted);
    } finally {
      await other.writer.close();
      await other.pool.end();
    }
  });

  it('pending holds count against the available balance under concurrency', async () => {
    const [funding, hot, merchant] = await f.accounts([{}, { flags: 1 }, {}]);
    await f.writer.submit([single(funding!, hot!, 1_000n)]);
    const holds = await Promise.all(
      Array.from({ length: 100 }, () =>
        f.writer.submit([{ kind: 'PENDING', id: randomUUID(), debitAccountId: hot!, creditAccountId: merchant!, amount: 60n, currency: 'BRL', code: 3 }]),
      ),
    );
    assert.equal(created(holds.flat()), 16, 'floor(1000 / 60) holds fit');
    const spend = await Promise.all(Array.from({ length: 20 }, () => f.writer.submit([single(hot!, merchant!, 10n)])));
    assert.equal(created(spend.flat()), 4, 'only the 40 not held can be spent');
  });

  it('every write above kept debits = credits and an intact chain', async () => {
    assert.deepEqual(checkInvariants((await f.balances()).values()), []);
    assert.equal((await verifyJournal(f.pool)).ok, true);
  });
});
