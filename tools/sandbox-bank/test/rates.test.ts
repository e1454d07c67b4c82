import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTriggers } from '../src/index';
import { OTHER_ISPB, payment, startHarness } from './helpers';

describe('remittance triggers', () => {
  it('reads every trigger and ignores malformed ones', () => {
    assert.deepEqual(parseTriggers('pay [sandbox:reject=AC03] [sandbox:delay=50]'), { reject: 'AC03', delayMs: 50 });
    assert.deepEqual(parseTriggers('[sandbox:refuse=AB09][sandbox:return=MD06]'), { refuse: 'AB09', returnReason: 'MD06' });
    assert.deepEqual(parseTriggers('[sandbox:timeout] [sandbox:silent]'), { timeout: true, silent: true });
    assert.deepEqual(parseTriggers('[sandbox:delay=abc] [sandbox:reject] [sandbox:timeout=1] [other:x=1]'), {});
    assert.deepEqual(parseTriggers('[sandbox:delay=999999999]'), { delayMs: 60_000 });
    assert.deepEqual(parseTriggers(undefined), {});
  });
});

describe('random rejection and return rates', () => {
  it('rejects (AC03) every payment without a trigger at rate 1, but obeys a trigger', async () => {
    const h = await startHarness('rates_reject', { rejectRate: 1 });
    try {
      const p = payment(OTHER_ISPB);
      assert.equal((await h.client.submit(p)).accepted, true);
      const rejected = await h.waitFor((e) => e.type === 'rejected' && e.data.endToEndId === p.endToEndId);
      assert.equal(rejected.data.reason, 'AC03');
      const q = payment(OTHER_ISPB, { remittance: '[sandbox:delay=1]' });
      await h.client.submit(q);
      await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === q.endToEndId);
    } finally {
      await h.close();
    }
  });

  it('returns (MD06) every settled payment at rate 1, never a RETURN', async () => {
    const h = await startHarness('rates_return', { returnRate: 1 });
    try {
      const p = payment(OTHER_ISPB);
      await h.client.submit(p);
      const returned = await h.waitFor((e) => e.type === 'returned' && e.data.endToEndId === p.endToEndId);
      assert.equal(returned.data.reason, 'MD06');
      assert.equal(returned.data.amount, p.amount);
      const r = payment(OTHER_ISPB, { kind: 'RETURN', returnOf: p.endToEndId });
      await h.client.submit(r);
      await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === r.endToEndId);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(h.events.filter((e) => e.type === 'returned' && e.data.endToEndId === r.endToEndId).length, 0);
    } finally {
      await h.close();
    }
  });
});
