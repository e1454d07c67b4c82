import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { deletePixKey } from '../../src/use-cases/delete-pix-key';
import { listPixKeys } from '../../src/use-cases/list-pix-keys';
import { registerPixKey } from '../../src/use-cases/register-pix-key';
import { verifyPixKey } from '../../src/use-cases/verify-pix-key';
import { CNPJ, CPF, createPixFixture, refusedWith, type PixFixture } from './pix-keys-fixture';

describe('PIX keys: register, verify, delete (real PostgreSQL)', () => {
  let f: PixFixture;
  before(async () => {
    f = await createPixFixture();
  });
  after(async () => {
    await f?.close();
  });
  const register = (who: Identity, input: { id?: string; accountId: string; keyType: string; key?: string | null; holderKind?: string | null }) =>
    registerPixKey(f.deps, who, { id: randomUUID(), ...input });

  it('registers CPF, CNPJ and EVP keys ACTIVE at once, with an event that carries a digest, never the key', async () => {
    const { account, who } = f.customer();
    const cpf = await register(who, { accountId: account.id, keyType: 'CPF', key: CPF });
    assert.equal(cpf.status, 'ACTIVE');
    assert.equal(cpf.value, '52998224725');
    assert.ok(cpf.verifiedAt);
    const evp = await register(who, { accountId: account.id, keyType: 'EVP' });
    assert.match(evp.value, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const company = f.customer();
    const cnpj = await register(company.who, { accountId: company.account.id, keyType: 'CNPJ', key: CNPJ, holderKind: 'COMPANY' });
    assert.equal(cnpj.value, '11222333000181');
    const events = (await f.events('payments.pix.key.registered')).filter((e) => e.data.keyId === cpf.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.data.accountId, account.id);
    assert.match(String(events[0]!.data.keyDigest), /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(events).includes('52998224725'));
  });

  it('refuses invalid keys and inputs with BAD_USER_INPUT naming the field', async () => {
    const { account, who } = f.customer();
    await assert.rejects(register(who, { accountId: account.id, keyType: 'CPF', key: '529.982.247-26' }), refusedWith('BAD_USER_INPUT', { field: 'key', reason: 'INVALID_PIX_KEY' }));
    await assert.rejects(register(who, { accountId: account.id, keyType: 'EMAIL', key: 'not an e-mail' }), refusedWith('BAD_USER_INPUT', { field: 'key' }));
    await assert.rejects(register(who, { accountId: account.id, keyType: 'PHONE', key: '+1 555 0100' }), refusedWith('BAD_USER_INPUT', { field: 'key' }));
    await assert.rejects(register(who, { accountId: account.id, keyType: 'PIX' }), refusedWith('BAD_USER_INPUT', { field: 'keyType' }));
    await assert.rejects(register(who, { accountId: account.id, keyType: 'EVP', key: randomUUID() }), refusedWith('BAD_USER_INPUT', { field: 'key', reason: 'EVP_IS_GENERATED' }));
    await assert.rejects(register(who, { accountId: account.id, keyType: 'CNPJ', key: CNPJ }), refusedWith('BAD_USER_INPUT', { field: 'holderKind', reason: 'HOLDER_KIND_MISMATCH' }));
    await assert.rejects(register(who, { accountId: account.id, keyType: 'CPF', key: CPF, holderKind: 'COMPANY' }), refusedWith('BAD_USER_INPUT', { field: 'holderKind' }));
    await assert.rejects(register(who, { id: 'nope', accountId: account.id, keyType: 'EVP' }), refusedWith('BAD_USER_INPUT', { field: 'id' }));
    assert.deepEqual(await listPixKeys(f.deps, who, { accountId: account.id }), []);
  });

  it('only for an ACTIVE BRL account the caller may operate', async () => {
    const { account } = f.customer();
    const stranger = f.customer({ tenantId: account.tenantId });
    await assert.rejects(register(stranger.who, { accountId: account.id, keyType: 'EVP' }), refusedWith('FORBIDDEN'));
    await assert.rejects(register(stranger.who, { accountId: randomUUID(), keyType: 'EVP' }), refusedWith('FORBIDDEN'));
    const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: account.tenantId, scopes: ['payments:write'] };
    assert.equal((await register(client, { accountId: account.id, keyType: 'EVP' })).customerId, account.customerId);
    const readOnly: Identity = { ...client, scopes: ['payments:read'] };
    await assert.rejects(register(readOnly, { accountId: account.id, keyType: 'EVP' }), refusedWith('FORBIDDEN'));
    const frozen = f.customer({ status: 'FROZEN' });
    await assert.rejects(register(frozen.who, { accountId: frozen.account.id, keyType: 'EVP' }), refusedWith('ACCOUNT_FROZEN'));
    const usd = f.customer({ currency: 'USD' });
    await assert.rejects(register(usd.who, { accountId: usd.account.id, keyType: 'EVP' }), refusedWith('CURRENCY_MISMATCH'));
  });

  it('holds at most 5 keys per person account (20 for a company); a deleted key frees its place', async () => {
    const { account, who } = f.customer();
    const keys = [];
    for (let i = 0; i < 5; i++) keys.push(await register(who, { accountId: account.id, keyType: 'EVP' }));
    const sixth = randomUUID();
    await assert.rejects(register(who, { id: sixth, accountId: account.id, keyType: 'EVP' }), refusedWith('LIMIT_EXCEEDED', { reason: 'PIX_KEY_LIMIT_REACHED', limit: 5 }));
    assert.deepEqual(await f.deps.keys.findByIds([sixth]), []);
    await deletePixKey(f.deps, who, { id: keys[0]!.id });
    assert.equal((await register(who, { id: sixth, accountId: account.id, keyType: 'EVP' })).status, 'ACTIVE');
    const company = f.customer();
    for (let i = 0; i < 6; i++) await register(company.who, { accountId: company.account.id, keyType: 'EVP', holderKind: 'COMPANY' });
    assert.equal((await listPixKeys(f.deps, company.who, { accountId: company.account.id })).length, 6);
  });

  it('a value held by another account is CONFLICT KEY_ALREADY_REGISTERED (claimable), and nothing is written', async () => {
    const a = f.customer();
    const b = f.customer();
    await register(a.who, { accountId: a.account.id, keyType: 'CPF', key: '11144477735' });
    const id = randomUUID();
    const before = (await f.events()).length;
    await assert.rejects(register(b.who, { id, accountId: b.account.id, keyType: 'CPF', key: '111.444.777-35' }), refusedWith('CONFLICT', { reason: 'KEY_ALREADY_REGISTERED', claimable: true }));
    await assert.rejects(register(a.who, { accountId: a.account.id, keyType: 'CPF', key: '111.444.777-35' }), refusedWith('CONFLICT', { reason: 'KEY_ALREADY_REGISTERED', claimable: false }));
    assert.deepEqual(await f.deps.keys.findByIds([id]), []);
    assert.equal((await f.events()).length, before);
  });

  it('is idempotent on the id: a repeat replays, another request is IDEMPOTENCY_KEY_REUSED, another tenant is FORBIDDEN', async () => {
    const { account, who } = f.customer();
    const id = randomUUID();
    const first = await register(who, { id, accountId: account.id, keyType: 'EVP' });
    const again = await register(who, { id, accountId: account.id, keyType: 'EVP' });
    assert.deepEqual(again, first);
    await assert.rejects(register(who, { id, accountId: account.id, keyType: 'EVP', holderKind: 'COMPANY' }), refusedWith('IDEMPOTENCY_KEY_REUSED'));
    const other = f.customer();
    await assert.rejects(register(other.who, { id, accountId: other.account.id, keyType: 'EVP' }), refusedWith('FORBIDDEN'));
    const concurrent = randomUUID();
    const all = await Promise.all([1, 2, 3].map(() => register(who, { id: concurrent, accountId: account.id, keyType: 'EVP' })));
    assert.equal(new Set(all.map((k) => k.value)).size, 1);
  });

  it('e-mail and phone keys wait for a 6-digit code; the right code activates them', async () => {
    const { account, who } = f.customer();
    const email = await register(who, { accountId: account.id, keyType: 'EMAIL', key: ' Joao.Silva@Example.com ' });
    assert.equal(email.status, 'PENDING_VERIFICATION');
    assert.equal(email.value, 'joao.silva@example.com');
    const note = f.sent.find((n) => n.keyId === email.id)!;
    assert.deepEqual([note.channel, note.to, note.tenantId, note.customerId], ['EMAIL', 'joao.silva@example.com', account.tenantId, account.customerId]);
    assert.match(note.code, /^\d{6}$/);
    assert.ok(email.otpHash && !email.otpHash.includes(note.code));
    assert.equal((await f.events('payments.pix.key.registered')).filter((e) => e.data.keyId === email.id).length, 0);
    const active = await verifyPixKey(f.deps, who, { id: email.id, code: note.code });
    assert.equal(active.status, 'ACTIVE');
    assert.ok(active.verifiedAt);
    assert.equal(active.otpHash, null);
    assert.equal((await verifyPixKey(f.deps, who, { id: email.id, code: note.code })).status, 'ACTIVE');
    assert.equal((await f.events('payments.pix.key.registered')).filter((e) => e.data.keyId === email.id).length, 1);

    const phone = await register(who, { accountId: account.id, keyType: 'PHONE', key: '+55 (11) 98765-4321' });
    assert.equal(phone.value, '+5511987654321');
    assert.equal(f.sent.at(-1)!.channel, 'SMS');
    const stranger = f.customer({ tenantId: account.tenantId });
    await assert.rejects(verifyPixKey(f.deps, stranger.who, { id: phone.id, code: f.codeFor('+5511987654321')! }), refusedWith('FORBIDDEN'));
    assert.equal((await verifyPixKey(f.deps, who, { id: phone.id, code: f.codeFor('+5511987654321')! })).status, 'ACTIVE');
  });

  it('five wrong codes spend it; an expired code is refused and a repeat of the registration sends a new one', async () => {
    const { account, who } = f.customer();
    const key = await register(who, { accountId: account.id, keyType: 'EMAIL', key: 'wrong.tries@example.com' });
    const right = f.codeFor('wrong.tries@example.com')!;
    const wrong = right === '000000' ? '000001' : '000000';
    for (let left = 4; left >= 1; left--) await assert.rejects(verifyPixKey(f.deps, who, { id: key.id, code: wrong }), refusedWith('INVALID_CODE', { attemptsLeft: left }));
    await assert.rejects(verifyPixKey(f.deps, who, { id: key.id, code: wrong }), refusedWith('TOO_MANY_ATTEMPTS'));
    await assert.rejects(verifyPixKey(f.deps, who, { id: key.id, code: right }), refusedWith('TOO_MANY_ATTEMPTS'));
    await assert.rejects(verifyPixKey(f.deps, who, { id: key.id, code: '12ab' }), refusedWith('BAD_USER_INPUT', { field: 'code' }));

    const input = { id: randomUUID(), accountId: account.id, keyType: 'EMAIL', key: 'late@example.com' };
    const late = await registerPixKey(f.deps, who, input);
    const first = f.codeFor('late@example.com')!;
    const sentBefore = f.sent.length;
    await registerPixKey(f.deps, who, input);
    assert.equal(f.sent.length, sentBefore, 'a repeat within a minute sends no new code');
    f.advance(10 * 60_000 + 1);
    await assert.rejects(verifyPixKey(f.deps, who, { id: late.id, code: first }), refusedWith('INVALID_CODE', { reason: 'CODE_EXPIRED' }));
    await registerPixKey(f.deps, who, input);
    const second = f.codeFor('late@example.com')!;
    assert.equal(f.sent.length, sentBefore + 1);
    assert.equal((await verifyPixKey(f.deps, who, { id: late.id, code: second })).status, 'ACTIVE');
  });

  it('an unverified registration whose code lapsed never blocks the owner; a failed send can be repeated', async () => {
    const squatter = f.customer();
    const owner = f.customer();
    const held = await register(squatter.who, { accountId: squatter.account.id, keyType: 'EMAIL', key: 'owner@example.com' });
    await assert.rejects(register(owner.who, { accountId: owner.account.id, keyType: 'EMAIL', key: 'owner@example.com' }), refusedWith('CONFLICT', { reason: 'KEY_ALREADY_REGISTERED' }));
    f.advance(10 * 60_000 + 1);
    const mine = await register(owner.who, { accountId: owner.account.id, keyType: 'EMAIL', key: 'owner@example.com' });
    assert.equal(mine.status, 'PENDING_VERIFICATION');
    assert.equal((await f.deps.keys.findByIds([held.id]))[0]!.status, 'DELETED');

    f.failSends.on = true;
    const input = { id: randomUUID(), accountId: owner.account.id, keyType: 'PHONE', key: '+5521912345678' };
    await assert.rejects(registerPixKey(f.deps, owner.who, input), refusedWith('SERVICE_UNAVAILABLE'));
    f.failSends.on = false;
    const key = await registerPixKey(f.deps, owner.who, input);
    assert.equal((await verifyPixKey(f.deps, owner.who, { id: key.id, code: f.codeFor('+5521912345678')! })).status, 'ACTIVE');
  });

  it('sends one customer at most 5 codes per address per hour; nothing is written past it, and others are not locked out', async () => {
    const { account, who } = f.customer();
    for (let i = 0; i < 5; i++) {
      const key = await register(who, { accountId: account.id, keyType: 'EMAIL', key: 'bombed@example.com' });
      await deletePixKey(f.deps, who, { id: key.id });
    }
    const id = randomUUID();
    await assert.rejects(register(who, { id, accountId: account.id, keyType: 'EMAIL', key: 'bombed@example.com' }), refusedWith('RATE_LIMITED'));
    assert.deepEqual(await f.deps.keys.findByIds([id]), []);
    const owner = f.customer();
    const mine = await register(owner.who, { accountId: owner.account.id, keyType: 'EMAIL', key: 'bombed@example.com' });
    assert.equal((await verifyPixKey(f.deps, owner.who, { id: mine.id, code: f.codeFor('bombed@example.com')! })).status, 'ACTIVE');
    f.advance(3_600_000);
  });

  it('deletes a key: its value is free again; a repeat answers the deleted key; others may not', async () => {
    const a = f.customer();
    const b = f.customer();
    const key = await register(a.who, { accountId: a.account.id, keyType: 'PHONE', key: '+5531999990000' });
    await assert.rejects(deletePixKey(f.deps, b.who, { id: key.id }), refusedWith('FORBIDDEN'));
    const deleted = await deletePixKey(f.deps, a.who, { id: key.id });
    assert.equal(deleted.status, 'DELETED');
    assert.equal(deleted.activeValue, null);
    assert.deepEqual(await deletePixKey(f.deps, a.who, { id: key.id }), deleted);
    assert.deepEqual(await listPixKeys(f.deps, a.who, { accountId: a.account.id }), []);
    assert.equal((await register(b.who, { accountId: b.account.id, keyType: 'PHONE', key: '+5531999990000' })).status, 'PENDING_VERIFICATION');
    assert.equal((await f.events('payments.pix.key.deleted')).filter((e) => e.data.keyId === key.id).length, 1);
    await assert.rejects(listPixKeys(f.deps, b.who, { accountId: a.account.id }), refusedWith('FORBIDDEN'));
  });
});
