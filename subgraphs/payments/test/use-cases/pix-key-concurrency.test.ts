import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isDomainError } from '@baas/errors';
import { pixKeyMutations, pixKeyQueries, pixKeyTypes } from '../../src/resolvers/pix-keys';
import { claimPixKey } from '../../src/use-cases/claim-pix-key';
import { registerPixKey } from '../../src/use-cases/register-pix-key';
import { completeDueClaims, confirmPixKeyClaim } from '../../src/use-cases/resolve-pix-key-claim';
import { createPixFixture, refusedWith, type PixFixture } from './pix-keys-fixture';

const codes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === 'fulfilled' ? 'OK' : isDomainError(r.reason) ? `${r.reason.code}:${String(r.reason.details?.reason ?? '')}` : String(r.reason))).sort();

describe('PIX keys under concurrency, and the resolvers (real PostgreSQL)', () => {
  let f: PixFixture;
  before(async () => {
    f = await createPixFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('the per-account limit holds when registrations race', async () => {
    const { account, who } = f.customer();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => registerPixKey(f.deps, who, { id: randomUUID(), accountId: account.id, keyType: 'EVP' })));
    assert.deepEqual(codes(results), [...Array(3).fill('LIMIT_EXCEEDED:PIX_KEY_LIMIT_REACHED'), ...Array(5).fill('OK')]);
    assert.equal((await f.deps.keys.listByAccount(account.id)).length, 5);
  });

  it('one value, registered at once from several accounts: one key, the others CONFLICT', async () => {
    const racers = Array.from({ length: 4 }, () => f.customer());
    const results = await Promise.allSettled(racers.map((r) => registerPixKey(f.deps, r.who, { id: randomUUID(), accountId: r.account.id, keyType: 'CPF', key: '390.533.447-05' })));
    assert.deepEqual(codes(results), ['CONFLICT:KEY_ALREADY_REGISTERED', 'CONFLICT:KEY_ALREADY_REGISTERED', 'CONFLICT:KEY_ALREADY_REGISTERED', 'OK']);
  });

  it('the donor\'s confirmation racing the timer moves the key once', async () => {
    const donor = f.customer();
    const claimer = f.customer();
    const key = await registerPixKey(f.deps, donor.who, { id: randomUUID(), accountId: donor.account.id, keyType: 'CNPJ', key: '11.444.777/0001-61', holderKind: 'COMPANY' });
    const claim = await claimPixKey(f.deps, claimer.who, { id: randomUUID(), accountId: claimer.account.id, keyType: 'CNPJ', key: key.value, claimType: 'PORTABILITY' });
    const later = new Date(claim.resolveBy.getTime() + 1);
    const [confirmed, timer] = await Promise.allSettled([confirmPixKeyClaim(f.deps, donor.who, { id: claim.id }), completeDueClaims(f.deps, later)]);
    const final = (await f.deps.keys.findClaimsByIds([claim.id]))[0]!;
    if (final.status === 'COMPLETED') {
      assert.equal(confirmed.status, 'fulfilled');
      assert.equal((await f.deps.keys.findActiveByValue(key.value))!.accountId, claimer.account.id);
    } else {
      assert.equal(final.status, 'CANCELLED');
      assert.ok(confirmed.status === 'rejected' && refusedWith('CONFLICT', { reason: 'INVALID_STATE_TRANSITION' })(confirmed.reason));
      assert.equal((await f.deps.keys.findActiveByValue(key.value))!.id, key.id);
    }
    assert.equal(timer.status, 'fulfilled');
    assert.equal((await f.db.pixKey.count({ where: { value: key.value, status: 'ACTIVE' } })), 1);
  });

  it('resolvers: call the use cases with the caller, DateTimes as ISO strings, claims masked', async () => {
    const { account, who } = f.customer();
    const ctx = { identity: who, payments: { keys: f.deps } } as never;
    const info = {} as never;
    const key = await (pixKeyMutations.registerPixKey as Function)({}, { input: { id: randomUUID(), accountId: account.id, keyType: 'EMAIL', key: 'Maria@Example.com' } }, ctx, info);
    const fields = pixKeyTypes.PixKey as Record<string, (row: unknown) => unknown>;
    assert.equal(fields.key!(key), 'maria@example.com');
    assert.equal(fields.createdAt!(key), new Date(f.clock.ms).toISOString());
    assert.equal(fields.verifiedAt!(key), null);
    const listed = await (pixKeyQueries.pixKeys as Function)({}, { accountId: account.id }, ctx, info);
    assert.deepEqual(listed.map((k: { id: string }) => k.id), [key.id]);
    await assert.rejects((pixKeyQueries.pixKeys as Function)({}, { accountId: account.id }, { identity: null, payments: { keys: f.deps } }, info), refusedWith('UNAUTHENTICATED'));

    const other = f.customer();
    const theirs = await registerPixKey(f.deps, other.who, { id: randomUUID(), accountId: other.account.id, keyType: 'CPF', key: '111.444.777-35' });
    const claim = await claimPixKey(f.deps, who, { id: randomUUID(), accountId: account.id, keyType: 'CPF', key: theirs.value, claimType: 'PORTABILITY' });
    const claimFields = pixKeyTypes.PixKeyClaim as Record<string, (row: unknown) => unknown>;
    assert.equal(claimFields.keyMasked!(claim), '***.444.777-**');
    assert.equal(claimFields.resolveBy!(claim), claim.resolveBy.toISOString());
  });
});
