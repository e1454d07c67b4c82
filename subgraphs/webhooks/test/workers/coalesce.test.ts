import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalesce } from '../../src/workers/event-fanout';

describe('coalesce (the fan-out records a consumer batch in one flush)', () => {
  it('calls made in one turn are one flush of all their items, in call order; later calls a new one', async () => {
    const flushes: number[][] = [];
    const record = coalesce<number>(async (items) => {
      flushes.push(items);
    });
    await Promise.all([record([1]), record([2, 3]), record([]), record([4])]);
    await record([5]);
    assert.deepEqual(flushes, [[1, 2, 3, 4], [5]]);
  });

  it('a failed flush fails every caller of its group (each event is nak\'ed), and the next group flushes again', async () => {
    let fail = true;
    const seen: number[][] = [];
    const record = coalesce<number>(async (items) => {
      seen.push(items);
      if (fail) throw new Error('database away');
    });
    const results = await Promise.allSettled([record([1]), record([2])]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    fail = false;
    await record([1]);
    assert.deepEqual(seen, [[1, 2], [1]]);
  });
});
