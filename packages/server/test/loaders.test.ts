import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createByIdLoader, createGroupLoader, isUuid } from '../src/loaders';

describe('loaders', () => {
  it('batches ids in one fetch and answers in the order asked, null for missing', async () => {
    const calls: string[][] = [];
    const loader = createByIdLoader<string, { id: string; n: number }>(async (ids) => {
      calls.push(ids);
      return ids.filter((id) => id !== 'x').map((id) => ({ id, n: id.length })).reverse();
    });
    const out = await Promise.all([loader.load('bb'), loader.load('x'), loader.load('a')]);
    assert.deepEqual(out, [{ id: 'bb', n: 2 }, null, { id: 'a', n: 1 }]);
    assert.equal(calls.length, 1);
  });

  it('groups one-to-many rows by key', async () => {
    const loader = createGroupLoader<string, { owner: string; v: number }>((r) => r.owner, async () => [
      { owner: 'a', v: 1 },
      { owner: 'b', v: 2 },
      { owner: 'a', v: 3 },
    ]);
    assert.deepEqual(await Promise.all([loader.load('a'), loader.load('c')]), [[{ owner: 'a', v: 1 }, { owner: 'a', v: 3 }], []]);
  });

  it('recognises UUIDs only', () => {
    assert.equal(isUuid('0193f1c2-7b4a-7c3d-8e9f-0123456789ab'), true);
    assert.equal(isUuid("1' or '1'='1"), false);
    assert.equal(isUuid(''), false);
  });
});
