import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { claimedKeyId } from '../../src/store/pix-key-store';
import { claimPixKey } from '../../src/use-cases/claim-pix-key';
import { deletePixKey } from '../../src/use-cases/delete-pix-key';
import { listPixKeyClaims } from '../../src/use-cases/list-pix-key-claims';
import { registerPixKey } from '../../src/use-cases/register-pix-key';
import { cancelPixKeyClaim, completeDueClaims, confirmPixKeyClaim } from '../../src/use-cases/resolve-pix-key-claim';
import { verifyPixKey } from '../../src/use-cases/verify-pix-key';
import { startClaimTimer } from '../../src/workers/claim-timer';
import { createPixFixture, refusedWith, type PixFixture } from './pix-keys-fixture';

const DAY = 24 * 3600_000;

describe('PIX key claims: open, confirm, cancel, the timer (real PostgreSQL)', () => {
  let f: PixFixture;
  before(async () => {
    f = await createPixFixture();
  });
  after(async () => {
    await f?.close();
  });

  /** A donor holding an ACTIVE key of this type and a claimer with an account of its own. */
  async function held(keyType: string, key: string) {
    const donor = f.customer();
    const claimer = f.customer();
    const reg = await registerPixKey(f.deps, donor.who, { id: randomUUID(), accountId: donor.account.id, keyType, key });
    const code = f.codeFor(reg.value);
    const donorKey = reg.status === 'ACTIVE' ? reg : await verifyPixKey(f.deps, donor.who, { id: reg.id, code: code! });
    return { donor, claimer, donorKey };
  }
  const claim = (who: Identity, accountId: string, keyType: string, key: string, claimType: string, id: string = randomUUID()) =>
    claimPixKey(f.deps, who, { id, accountId, keyType, key, claimType });

  it('the donor confirms: the key moves at once to the claimer\'s account', async () => {
    const { donor, claimer, donorKey } = await held('PHONE', '+5511911112222');
    const opened = await claim(claimer.who, claimer.account.id, 'PHONE', '+55 11 91111-2222', 'OWNERSHIP');
    assert.equal(opened.status, 'OPEN');
    assert.equal(opened.donorKeyId, donorKey.id);
    assert.equal(opened.resolveBy.getTime(), f.clock.ms + 7 * DAY);
    assert.deepEqual([opened.donorTenantId, opened.donorCustomerId], [donor.account.tenantId, donor.account.customerId]);
    assert.deepEqual((await listPixKeyClaims(f.deps, donor.who, { accountId: donor.account.id })).map((c) => c.id), [opened.id]);
    assert.deepEqual((await listPixKeyClaims(f.deps, claimer.who, { accountId: claimer.account.id })).map((c) => c.id), [opened.id]);

    await assert.rejects(confirmPixKeyClaim(f.deps, claimer.who, { id: opened.id }), refusedWith('FORBIDDEN'));
    const done = await confirmPixKeyClaim(f.deps, donor.who, { id: opened.id });
    assert.equal(done.status, 'COMPLETED');
    assert.deepEqual(await confirmPixKeyClaim(f.deps, donor.who, { id: opened.id }), done);
    assert.equal((await f.deps.keys.findByIds([donorKey.id]))[0]!.status, 'DELETED');
    const moved = await f.deps.keys.findActiveByValue('+5511911112222');
    assert.deepEqual([moved!.id, moved!.accountId, moved!.customerId], [claimedKeyId(opened.id), claimer.account.id, claimer.account.customerId]);
    await assert.rejects(cancelPixKeyClaim(f.deps, claimer.who, { id: opened.id }), refusedWith('CONFLICT', { reason: 'INVALID_STATE_TRANSITION' }));
    const subjects = (await f.events('payments.pix.key')).filter((e) => e.data.claimId === opened.id || e.data.keyId === donorKey.id || e.data.keyId === moved!.id).map((e) => e.subject);
    assert.deepEqual(subjects.slice(-4), ['payments.pix.key.claim_opened', 'payments.pix.key.deleted', 'payments.pix.key.registered', 'payments.pix.key.claim_completed']);
  });

  it('refuses claims that make no sense, and writes nothing', async () => {
    const { claimer, donor, donorKey } = await held('EVP', '');
    await assert.rejects(claim(claimer.who, claimer.account.id, 'EVP', donorKey.value, 'PORTABILITY'), refusedWith('BAD_USER_INPUT', { field: 'claimType', reason: 'CLAIM_NOT_ALLOWED_FOR_KEY_TYPE' }));
    await assert.rejects(claim(claimer.who, claimer.account.id, 'CPF', '111.444.777-35', 'OWNERSHIP'), refusedWith('BAD_USER_INPUT', { field: 'claimType' }));
    await assert.rejects(claim(claimer.who, claimer.account.id, 'CPF', '111.444.777-35', 'THEFT'), refusedWith('BAD_USER_INPUT', { field: 'claimType', reason: 'INVALID_CLAIM_TYPE' }));
    const id = randomUUID();
    await assert.rejects(claim(claimer.who, claimer.account.id, 'EMAIL', 'free@example.com', 'OWNERSHIP', id), refusedWith('CONFLICT', { reason: 'KEY_NOT_REGISTERED' }));
    assert.deepEqual(await f.deps.keys.findClaimsByIds([id]), []);
    await registerPixKey(f.deps, donor.who, { id: randomUUID(), accountId: donor.account.id, keyType: 'EMAIL', key: 'pending@example.com' });
    await assert.rejects(claim(claimer.who, claimer.account.id, 'EMAIL', 'pending@example.com', 'OWNERSHIP'), refusedWith('CONFLICT', { reason: 'KEY_NOT_ACTIVE' }));
    const mine = await registerPixKey(f.deps, claimer.who, { id: randomUUID(), accountId: claimer.account.id, keyType: 'CPF', key: '111.444.777-35' });
    await assert.rejects(claim(claimer.who, claimer.account.id, 'CPF', mine.value, 'PORTABILITY'), refusedWith('CONFLICT', { reason: 'KEY_ALREADY_ON_ACCOUNT' }));
    const stranger = f.customer({ tenantId: claimer.account.tenantId });
    await assert.rejects(claim(stranger.who, claimer.account.id, 'CPF', mine.value, 'PORTABILITY'), refusedWith('FORBIDDEN'));
    const first = await claim(donor.who, donor.account.id, 'CPF', mine.value, 'PORTABILITY');
    const third = f.customer();
    await assert.rejects(claim(third.who, third.account.id, 'CPF', mine.value, 'PORTABILITY'), refusedWith('CONFLICT', { reason: 'CLAIM_ALREADY_OPEN' }));
    assert.deepEqual(await claim(donor.who, donor.account.id, 'CPF', mine.value, 'PORTABILITY', first.id), first, 'a repeat replays');
    await assert.rejects(claim(donor.who, donor.account.id, 'CPF', mine.value, 'OWNERSHIP', first.id), refusedWith('BAD_USER_INPUT'));
    const other = f.customer();
    await assert.rejects(claim(other.who, other.account.id, 'CPF', mine.value, 'PORTABILITY', first.id), refusedWith('FORBIDDEN'));
  });

  it('cancel: the claimer gives up; the donor keeps a portability key but may not refuse an ownership claim', async () => {
    const a = await held('EMAIL', 'keep@example.com');
    const ownership = await claim(a.claimer.who, a.claimer.account.id, 'EMAIL', 'keep@example.com', 'OWNERSHIP');
    await assert.rejects(cancelPixKeyClaim(f.deps, a.donor.who, { id: ownership.id }), refusedWith('FORBIDDEN'));
    await assert.rejects(cancelPixKeyClaim(f.deps, f.customer().who, { id: ownership.id }), refusedWith('FORBIDDEN'));
    const cancelled = await cancelPixKeyClaim(f.deps, a.claimer.who, { id: ownership.id });
    assert.equal(cancelled.status, 'CANCELLED');
    assert.deepEqual(await cancelPixKeyClaim(f.deps, a.claimer.who, { id: ownership.id }), cancelled);
    await assert.rejects(confirmPixKeyClaim(f.deps, a.donor.who, { id: ownership.id }), refusedWith('CONFLICT', { reason: 'INVALID_STATE_TRANSITION' }));

    const portability = await claim(a.claimer.who, a.claimer.account.id, 'EMAIL', 'keep@example.com', 'PORTABILITY');
    assert.equal((await cancelPixKeyClaim(f.deps, a.donor.who, { id: portability.id })).status, 'CANCELLED');
    assert.equal((await f.deps.keys.findActiveByValue('keep@example.com'))!.id, a.donorKey.id);
  });

  it('deleting the claimed key cancels the claim; the claimer may then register it', async () => {
    const { donor, claimer, donorKey } = await held('CPF', '935.411.347-80');
    const opened = await claim(claimer.who, claimer.account.id, 'CPF', '93541134780', 'PORTABILITY');
    await deletePixKey(f.deps, donor.who, { id: donorKey.id });
    assert.equal((await f.deps.keys.findClaimsByIds([opened.id]))[0]!.status, 'CANCELLED');
    assert.equal((await registerPixKey(f.deps, claimer.who, { id: randomUUID(), accountId: claimer.account.id, keyType: 'CPF', key: '93541134780' })).status, 'ACTIVE');
  });

  it('the timer completes ownership claims and cancels portability claims past resolveBy', async () => {
    const o = await held('PHONE', '+5511933334444');
    const p = await held('PHONE', '+5511955556666');
    const ownership = await claim(o.claimer.who, o.claimer.account.id, 'PHONE', '+5511933334444', 'OWNERSHIP');
    const portability = await claim(p.claimer.who, p.claimer.account.id, 'PHONE', '+5511955556666', 'PORTABILITY');
    const early = await completeDueClaims(f.deps, new Date(f.clock.ms + 7 * DAY - 1));
    assert.deepEqual([early.completed, early.cancelled], [0, 0]);
    f.advance(7 * DAY);
    const timer = startClaimTimer({ deps: f.deps, intervalMs: 20, logger: { info: () => {}, warn: () => {} } });
    try {
      for (let i = 0; i < 100; i++) {
        const [oc, pc] = await f.deps.keys.findClaimsByIds([ownership.id, portability.id]).then((rows) => [ownership.id, portability.id].map((id) => rows.find((r) => r.id === id)!));
        if (oc!.status !== 'OPEN' && pc!.status !== 'OPEN') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await timer.stop();
    }
    const [oc, pc] = [(await f.deps.keys.findClaimsByIds([ownership.id]))[0]!, (await f.deps.keys.findClaimsByIds([portability.id]))[0]!];
    assert.equal(oc.status, 'COMPLETED');
    assert.equal(pc.status, 'CANCELLED');
    assert.equal((await f.deps.keys.findActiveByValue('+5511933334444'))!.accountId, o.claimer.account.id);
    assert.equal((await f.deps.keys.findActiveByValue('+5511955556666'))!.accountId, p.donor.account.id);
    assert.deepEqual(await completeDueClaims(f.deps, new Date(f.clock.ms)), { completed: 0, cancelled: 0, failed: [] });
  });

  it('the timer survives a failing store and goes on', async () => {
    let calls = 0;
    const warnings: unknown[] = [];
    const broken = { ...f.deps, keys: { ...f.deps.keys, listDueClaims: async () => { calls++; throw new Error('database restarting'); } } };
    const timer = startClaimTimer({ deps: broken, intervalMs: 10, logger: { info: () => {}, warn: (o: unknown) => void warnings.push(o) } });
    await new Promise((r) => setTimeout(r, 100));
    await timer.stop();
    assert.ok(calls >= 2 && warnings.length >= 2, `${calls} runs`);
  });
});
