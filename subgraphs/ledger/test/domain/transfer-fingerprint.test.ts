import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { requestFingerprint } from '@baas/idempotency';
import { applyBatch } from '../../src/domain/apply-batch';
import { accountFingerprint, legacyAccountRequestHash } from '../../src/domain/ledger-account';
import { legacyTransferRequestHash, transferFingerprint } from '../../src/domain/transfer-fingerprint';
import type { AccountState, TransferRecord, TransferRequest } from '../../src/domain/types';

const single: TransferRequest = {
  kind: 'SINGLE',
  id: 'x',
  debitAccountId: '11111111-1111-4111-8111-111111111111',
  creditAccountId: '22222222-2222-4222-8222-222222222222',
  amount: 12345n,
  currency: 'BRL',
  code: 7,
  metadata: { b: 2, a: 'x' },
};
const post: TransferRequest = { kind: 'POST', id: 'y', pendingId: '33333333-3333-4333-8333-333333333333', amount: 10n };
const voided: TransferRequest = { kind: 'VOID', id: 'z', pendingId: '33333333-3333-4333-8333-333333333333' };

describe('transfer fingerprint', () => {
  it('is @baas/idempotency requestFingerprint of the normalised request (ledger.transfer/v2), the id left out', () => {
    assert.equal(transferFingerprint(single), requestFingerprint('ledger.transfer/v2', ['SINGLE', single.debitAccountId, single.creditAccountId, 12345n, 'BRL', 7, 0, { a: 'x', b: 2 }]));
    assert.equal(transferFingerprint({ ...single, id: 'other' }), transferFingerprint(single));
    assert.notEqual(transferFingerprint(post), transferFingerprint({ ...post, amount: undefined }));
    assert.notEqual(transferFingerprint(voided), transferFingerprint({ ...voided, kind: 'EXPIRE' }));
  });

  it('spells out the same requestFingerprint for any single or pending transfer (fast-check)', () => {
    const metadata = fc.option(fc.dictionary(fc.string(), fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.boolean())), { nil: undefined });
    fc.assert(
      fc.property(
        fc.constantFrom('SINGLE' as const, 'PENDING' as const), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
        fc.string({ unit: 'binary', maxLength: 4 }), fc.nat(), fc.option(fc.nat(), { nil: undefined }), metadata,
        (kind, debitAccountId, creditAccountId, amount, currency, code, timeoutSeconds, meta) => {
          const r = { kind, id: 'x', debitAccountId, creditAccountId, amount, currency, code, timeoutSeconds, metadata: meta } as TransferRequest;
          const expected = requestFingerprint('ledger.transfer/v2', [kind, debitAccountId, creditAccountId, amount, currency, code, timeoutSeconds ?? 0, meta ?? null]);
          assert.equal(transferFingerprint(r), expected);
        },
      ),
    );
  });

  it('keeps the hash rows stored before it (v1) computable, byte for byte', () => {
    // Vectors of the v1 request hash, as the ledger wrote it before @baas/idempotency.
    assert.equal(legacyTransferRequestHash(single), '761760e223e55572834bfb9947a7e2fec66c8f77f77d76a65f24a51b2bb2e9bc');
    assert.equal(legacyTransferRequestHash(post), '7f039d2329245eb0912444cc375bbab7bb3c7c2969812565689cdbb8298af562');
    assert.equal(legacyTransferRequestHash(voided), '6a28bfa452473dc0f91f8b47b39de170ed6a5a601facbd09efe578d8a1ac1246');
    assert.notEqual(transferFingerprint(single), legacyTransferRequestHash(single));
  });

  it('replays a transfer stored with a v1 hash, and still refuses another request under its id', () => {
    const accounts: AccountState[] = [single.debitAccountId, single.creditAccountId].map((id) => ({ id, currency: 'BRL', flags: 0, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n }));
    const id = randomUUID();
    const request = { ...single, id };
    const stored: TransferRecord = {
      id, kind: 'SINGLE', debitAccountId: single.debitAccountId, creditAccountId: single.creditAccountId, amount: 12345n, currency: 'BRL', code: 7,
      pendingId: null, timeoutSeconds: null, expiresAt: null, linkedGroup: null, metadata: { a: 'x', b: 2 },
      requestHash: legacyTransferRequestHash(request), journalSeq: 1n, createdAt: new Date('2026-01-01T00:00:00Z'),
    };
    const state = () => ({ accounts: new Map(accounts.map((a) => [a.id, { ...a }])), existing: new Map([[id, stored]]), pendings: new Map(), nextSeq: 2n, now: new Date() });
    const replay = applyBatch([{ requests: [request], linked: false }], state());
    assert.deepEqual(replay.results[0]!.map((r) => r.status), ['REPLAYED']);
    assert.equal(replay.created.length, 0);
    const reused = applyBatch([{ requests: [{ ...request, amount: 12346n }], linked: false }], state());
    assert.deepEqual(reused.results[0], [{ id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED' }]);
  });
});

describe('ledger account fingerprint', () => {
  it('is requestFingerprint (ledger.account/v1); the hash accounts stored before it stays computable', () => {
    const r = { id: randomUUID(), tenantId: null, customerId: '44444444-4444-4444-8444-444444444444', currency: 'BRL', code: 100, flags: 1 };
    assert.equal(accountFingerprint(r), requestFingerprint('ledger.account/v1', { tenantId: null, customerId: r.customerId, currency: 'BRL', code: 100, flags: 1, metadata: null }));
    assert.equal(legacyAccountRequestHash(r), 'fcd1faf45fa7ce36484f57e1ba155b78a26fe7d3a4348f0446e735fd080a9918');
  });
});
