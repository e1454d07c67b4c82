import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTHER_ISPB, payment, sleep, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('sandbox bank: restart', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('restart');
  });
  after(async () => {
    await h.close();
  });

  it('remembers a settled endToEndId after a restart (KV): same answer, no second settlement', async () => {
    const p = payment(OTHER_ISPB);
    const first = await h.client.submit(p);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
    await h.restart();
    assert.deepEqual(await h.client.submit(p), first);
    assert.equal(((await h.client.inquire(p.endToEndId)) as { status: string }).status, 'SETTLED');
    await sleep(200);
    assert.equal(h.events.filter((e) => e.data.endToEndId === p.endToEndId).length, 1);
  });

  it('finishes after a restart a payment accepted before it', async () => {
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:delay=1000]' });
    assert.equal((await h.client.submit(p)).accepted, true);
    await h.restart();
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId, 5000);
    assert.equal(((await h.client.inquire(p.endToEndId)) as { status: string }).status, 'SETTLED');
  });

  it('remembers a swallowed [sandbox:timeout] submit: the retry after a restart settles', async () => {
    const p = payment(OTHER_ISPB, { remittance: '[sandbox:timeout]' });
    await assert.rejects(h.client.submit(p, { timeoutMs: 300 }));
    await h.restart();
    assert.equal((await h.client.submit(p)).accepted, true);
    await h.waitFor((e) => e.type === 'settled' && e.data.endToEndId === p.endToEndId);
  });
});
