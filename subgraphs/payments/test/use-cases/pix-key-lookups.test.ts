import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { lookupPixKey } from '../../src/use-cases/lookup-pix-key';
import { registerPixKey } from '../../src/use-cases/register-pix-key';
import { verifyPixKey } from '../../src/use-cases/verify-pix-key';
import { CNPJ, CPF, createPixFixture, refusedWith, type PixFixture } from './pix-keys-fixture';

describe('PIX key lookups: masking and the per-customer quota (real PostgreSQL and Redis)', () => {
  let f: PixFixture;
  before(async () => {
    f = await createPixFixture({ perMinute: 6 });
  });
  after(async () => {
    await f?.close();
  });
  const payer = () => f.customer();
  const register = (who: Identity, accountId: string, keyType: string, key?: string, holderKind?: string) =>
    registerPixKey(f.deps, who, { id: randomUUID(), accountId, keyType, key: key ?? null, holderKind: holderKind ?? null });

  it('shows the key masked, our ISPB, the branch and the account number masked; null for a key nobody holds', async () => {
    const person = f.customer({ branch: '0042', number: '00987654', checkDigit: '3' });
    const email = await register(person.who, person.account.id, 'EMAIL', 'joao@example.com');
    await verifyPixKey(f.deps, person.who, { id: email.id, code: f.codeFor('joao@example.com')! });
    const phone = await register(person.who, person.account.id, 'PHONE', '+5511987654321');
    const evp = await register(person.who, person.account.id, 'EVP');
    await register(person.who, person.account.id, 'CPF', CPF);
    const company = f.customer();
    await register(company.who, company.account.id, 'CNPJ', CNPJ, 'COMPANY');

    const p = payer();
    const look = (key: string) => lookupPixKey(f.deps, p.who, { key, payerAccountId: p.account.id });
    assert.deepEqual(await look('JOAO@example.com'), { keyType: 'EMAIL', keyMasked: 'jo***@example.com', ispb: '12345678', branch: '0042', accountMasked: '****7654-3' });
    assert.equal(await look('+5511987654321'), null, 'a key waiting for its code is not found');
    await verifyPixKey(f.deps, person.who, { id: phone.id, code: f.codeFor('+5511987654321')! });
    assert.equal((await look('+5511987654321'))!.keyMasked, '+55*******4321');
    assert.equal((await look(CPF))!.keyMasked, '***.982.247-**');
    assert.equal((await look(evp.value.toUpperCase()))!.keyMasked, `${evp.value.slice(0, 8)}-****-****-****-************`);
    const other = payer();
    const cnpj = await lookupPixKey(f.deps, other.who, { key: CNPJ, payerAccountId: other.account.id });
    assert.deepEqual([cnpj!.keyType, cnpj!.keyMasked], ['CNPJ', '**.222.333/0001-**']);
    assert.equal(await lookupPixKey(f.deps, other.who, { key: 'nobody@example.com', payerAccountId: other.account.id }), null);
  });

  it('only for a payer account the caller operates; a key of no known shape is BAD_USER_INPUT', async () => {
    const p = payer();
    const stranger = f.customer({ tenantId: p.account.tenantId });
    await assert.rejects(lookupPixKey(f.deps, stranger.who, { key: CPF, payerAccountId: p.account.id }), refusedWith('FORBIDDEN'));
    await assert.rejects(lookupPixKey(f.deps, p.who, { key: 'not a key', payerAccountId: p.account.id }), refusedWith('BAD_USER_INPUT', { field: 'key' }));
    const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: p.account.tenantId, scopes: ['payments:write'] };
    assert.equal(await lookupPixKey(f.deps, client, { key: 'nobody2@example.com', payerAccountId: p.account.id }), null);
  });

  it('rate limits lookups per customer per minute, misses counting double, and frees the next minute', async () => {
    const owner = f.customer();
    await register(owner.who, owner.account.id, 'CPF', '111.444.777-35');
    const p = payer();
    const look = (key: string) => lookupPixKey(f.deps, p.who, { key, payerAccountId: p.account.id });
    for (let i = 0; i < 6; i++) assert.ok(await look('11144477735'));
    await assert.rejects(look('11144477735'), (error: unknown) => {
      assert.ok(refusedWith('RATE_LIMITED')(error));
      const seconds = (error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
      assert.ok(seconds >= 1 && seconds <= 60, String(seconds));
      return true;
    });
    // Another customer of the same tenant has a quota of its own.
    const q = f.customer({ tenantId: p.account.tenantId });
    assert.ok(await lookupPixKey(f.deps, q.who, { key: '11144477735', payerAccountId: q.account.id }));

    f.advance(60_000);
    // Misses cost 2: three misses use the quota up.
    for (let i = 0; i < 3; i++) assert.equal(await look(`guess${i}@example.com`), null);
    await assert.rejects(look('11144477735'), refusedWith('RATE_LIMITED'));
    f.advance(60_000);
    assert.ok(await look('11144477735'));
  });
});
