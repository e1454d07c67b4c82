import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Outflow, RiskVerdict } from '../src/index';
import { createRiskVerdictMemo } from '../src/index';

const outflow = (over: Partial<Outflow> = {}): Outflow => ({
  rail: 'TRANSFER',
  id: '01a24ba8-0000-7000-8000-000000000001',
  tenantId: 't1',
  customerId: 'c1',
  accountId: 'a1',
  payeeAccountId: 'a2',
  amount: 100n,
  currency: 'BRL',
  createdAt: new Date(0),
  ...over,
});

function counting() {
  const asked: Outflow[] = [];
  const score = async (o: Outflow): Promise<RiskVerdict> => {
    asked.push(o);
    return { decision: 'ALLOW', reasons: [`n${asked.length}`], assessmentId: `as${asked.length}` };
  };
  return { asked, score };
}

test('the repeat of a movement (the saga RISK step) is answered from memory once; the next asks risk again', async () => {
  const { asked, score } = counting();
  const memo = createRiskVerdictMemo();
  const assess = memo.wrap(score);
  const first = await assess(outflow());
  assert.deepEqual(await assess(outflow({ createdAt: new Date(5) })), first);
  assert.equal(asked.length, 1);
  assert.equal(memo.size, 0);
  await assess(outflow());
  assert.equal(asked.length, 2);
});

test('another movement, tenant, payee or amount is never answered from memory', async () => {
  const { asked, score } = counting();
  const assess = createRiskVerdictMemo().wrap(score);
  await assess(outflow());
  for (const other of [{ id: 'x' }, { tenantId: 't2' }, { payeeAccountId: 'a3' }, { amount: 101n }, { rail: 'FX' as const }]) await assess(outflow(other));
  assert.equal(asked.length, 6);
});

test('an entry older than ttlMs asks again; failures are not remembered; the memory is bounded', async () => {
  let t = 0;
  const { asked, score } = counting();
  const memo = createRiskVerdictMemo({ ttlMs: 1000, max: 2, now: () => t });
  const assess = memo.wrap(score);
  await assess(outflow());
  t = 1001;
  await assess(outflow());
  assert.equal(asked.length, 2);
  const failing = memo.wrap(async () => {
    throw new Error('risk down');
  });
  await assert.rejects(failing(outflow({ id: 'y' })));
  assert.equal(memo.size, 1); // only the verdict risk gave at t=1001
  for (const id of ['a', 'b', 'c']) await assess(outflow({ id }));
  assert.equal(memo.size, 2);
  await assess(outflow({ id: 'a' })); // pushed out by c
  assert.equal(asked.length, 6);
});
