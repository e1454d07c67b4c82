import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import { claimAllowed, claimResolveBy, claimTransition, claimTypeRefusal, dueClaimOutcome, isClaimableKeyType, mayCancelClaimAs, parseClaimType } from '../../src/domain/pix-claims';
import { hashKeyCode, keyCodeMatches, newKeyCode } from '../../src/domain/pix-key-codes';
import { maskAccountNumber, maskPixKey } from '../../src/domain/pix-key-masks';
import { PIX_KEY_TYPES } from '../../src/domain/pix-keys';

const refused = (code: string, reason?: string) => (error: unknown) => isDomainError(error) && error.code === code && (reason === undefined || error.details?.reason === reason);
const at = (iso: string) => new Date(iso);

describe('pix claims (domain)', () => {
  it('parses the claim type', () => {
    assert.equal(parseClaimType('OWNERSHIP'), 'OWNERSHIP');
    assert.equal(parseClaimType(' portability '), 'PORTABILITY');
    assert.throws(() => parseClaimType('THEFT'), refused('BAD_USER_INPUT', 'INVALID_CLAIM_TYPE'));
  });

  it('ownership for phone and e-mail keys, portability for every type but EVP', () => {
    const table = PIX_KEY_TYPES.map((t) => [t, claimAllowed('OWNERSHIP', t), claimAllowed('PORTABILITY', t)]);
    assert.deepEqual(table, [['CPF', false, true], ['CNPJ', false, true], ['PHONE', true, true], ['EMAIL', true, true], ['EVP', false, false]]);
    assert.equal(claimTypeRefusal('PORTABILITY', 'CPF'), null);
    const refusal = claimTypeRefusal('OWNERSHIP', 'CPF');
    assert.ok(refusal && refused('BAD_USER_INPUT', 'CLAIM_NOT_ALLOWED_FOR_KEY_TYPE')(refusal));
    assert.equal(refusal.details?.field, 'claimType');
    assert.deepEqual(PIX_KEY_TYPES.filter(isClaimableKeyType), ['CPF', 'CNPJ', 'PHONE', 'EMAIL']);
  });

  it('resolves by the end of the resolution period', () => {
    assert.deepEqual(claimResolveBy(at('2026-12-01T10:00:00Z'), 7 * 24 * 3600), at('2026-12-08T10:00:00Z'));
    assert.throws(() => claimResolveBy(new Date(), 0), RangeError);
    assert.throws(() => claimResolveBy(new Date(), 1.5), RangeError);
  });

  it('the timer completes ownership and cancels portability past resolveBy, and leaves the rest', () => {
    const resolveBy = at('2026-12-08T10:00:00Z');
    const before = at('2026-12-08T09:59:59.999Z');
    assert.equal(dueClaimOutcome({ claimType: 'OWNERSHIP', status: 'OPEN', resolveBy }, before), null);
    assert.equal(dueClaimOutcome({ claimType: 'OWNERSHIP', status: 'OPEN', resolveBy }, resolveBy), 'COMPLETE');
    assert.equal(dueClaimOutcome({ claimType: 'PORTABILITY', status: 'OPEN', resolveBy }, resolveBy), 'CANCEL');
    for (const status of ['CONFIRMED', 'CANCELLED', 'COMPLETED']) assert.equal(dueClaimOutcome({ claimType: 'OWNERSHIP', status, resolveBy }, at('2030-01-01T00:00:00Z')), null);
    fc.assert(
      fc.property(fc.constantFrom('OWNERSHIP', 'PORTABILITY'), fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (claimType, offset) => {
        const outcome = dueClaimOutcome({ claimType, status: 'OPEN', resolveBy }, new Date(resolveBy.getTime() + offset));
        if (offset < 0) return outcome === null;
        return outcome === (claimType === 'OWNERSHIP' ? 'COMPLETE' : 'CANCEL');
      }),
    );
  });

  it('who may cancel, and which moves are allowed', () => {
    assert.equal(mayCancelClaimAs('CLAIMER', 'OWNERSHIP'), true);
    assert.equal(mayCancelClaimAs('CLAIMER', 'PORTABILITY'), true);
    assert.equal(mayCancelClaimAs('DONOR', 'PORTABILITY'), true);
    assert.equal(mayCancelClaimAs('DONOR', 'OWNERSHIP'), false);
    assert.equal(claimTransition('OPEN', 'COMPLETED'), 'MOVE');
    assert.equal(claimTransition('CANCELLED', 'CANCELLED'), 'SAME');
    assert.throws(() => claimTransition('COMPLETED', 'CANCELLED'), refused('CONFLICT', 'INVALID_STATE_TRANSITION'));
    assert.throws(() => claimTransition('CANCELLED', 'COMPLETED'), refused('CONFLICT', 'INVALID_STATE_TRANSITION'));
  });
});

describe('pix key masks (domain)', () => {
  it('masks every type like DICT', () => {
    assert.equal(maskPixKey('EMAIL', 'joao@example.com'), 'jo***@example.com');
    assert.equal(maskPixKey('EMAIL', 'jo@example.com'), 'j***@example.com');
    assert.equal(maskPixKey('PHONE', '+5511987654321'), '+55*******4321');
    assert.equal(maskPixKey('PHONE', '+551187654321'), '+55******4321');
    assert.equal(maskPixKey('CPF', '12345678909'), '***.456.789-**');
    assert.equal(maskPixKey('CNPJ', '12345678000195'), '**.345.678/0001-**');
    assert.equal(maskPixKey('EVP', '123e4567-e89b-42d3-a456-426614174000'), '123e4567-****-****-****-************');
    assert.equal(maskAccountNumber('00987654', '3'), '****7654-3');
    assert.equal(maskAccountNumber('12', ''), '12');
  });
});

describe('pix key codes (domain)', () => {
  it('6 digits, stored salted, matched only by the right code', async () => {
    const codes = Array.from({ length: 200 }, newKeyCode);
    assert.ok(codes.every((c) => /^\d{6}$/.test(c)));
    const code = '012345';
    const a = await hashKeyCode(code);
    const b = await hashKeyCode(code);
    assert.notEqual(a, b, 'a salt per key');
    assert.ok(!a.includes(code));
    assert.equal(await keyCodeMatches(code, a), true);
    assert.equal(await keyCodeMatches(' 012345 ', b), true);
    assert.equal(await keyCodeMatches('012346', a), false);
    assert.equal(await keyCodeMatches('12345', a), false);
    assert.equal(await keyCodeMatches(code, null), false);
    assert.equal(await keyCodeMatches(code, 'sha1$x$y'), false);
  });
});
