import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { journalContent, journalContentReference } from '../src/domain/journal';
import { transferFingerprint as transferRequestHash } from '../src/domain/transfer-fingerprint';
import type { TransferRecord } from '../src/domain/types';

const recordArb: fc.Arbitrary<TransferRecord> = fc.record({
  id: fc.uuid(),
  kind: fc.constantFrom('SINGLE', 'PENDING', 'POST', 'VOID', 'EXPIRE' as const),
  debitAccountId: fc.uuid(),
  creditAccountId: fc.uuid(),
  amount: fc.bigInt({ min: 1n, max: 10n ** 30n }),
  currency: fc.constantFrom('BRL', 'USD', 'JPY', 'KWD'),
  code: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  pendingId: fc.option(fc.uuid(), { nil: null }),
  timeoutSeconds: fc.constant(null),
  expiresAt: fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), { nil: null }),
  linkedGroup: fc.constant(null),
  metadata: fc.constant(null),
  requestHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
  journalSeq: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
  createdAt: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
});

describe('journal content', () => {
  it('the hand-built encoding is byte for byte the canonical JSON of the entry', () => {
    fc.assert(fc.property(recordArb, (t) => assert.equal(journalContent(t), journalContentReference(t))));
  });
});

describe('transfer request hash', () => {
  it('differs when any field that moves money differs, and ignores the id', () => {
    const base = { kind: 'SINGLE' as const, id: 'a', debitAccountId: 'd', creditAccountId: 'c', amount: 10n, currency: 'BRL', code: 1 };
    const h = transferRequestHash(base);
    assert.equal(transferRequestHash({ ...base, id: 'b' }), h);
    for (const change of [{ amount: 11n }, { currency: 'USD' }, { code: 2 }, { debitAccountId: 'x' }, { creditAccountId: 'x' }, { kind: 'PENDING' as const }, { metadata: { a: 1 } }]) {
      assert.notEqual(transferRequestHash({ ...base, ...change }), h, JSON.stringify(change, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
    }
    assert.equal(transferRequestHash({ ...base, metadata: { a: 1, b: 2 } }), transferRequestHash({ ...base, metadata: { b: 2, a: 1 } }));
  });
});

describe('event payload', () => {
  it('is valid JSON with exact amounts and balances, and escapes the correlation id', async () => {
    const { eventPayload } = await import('../src/domain/journal');
    fc.assert(
      fc.property(recordArb, fc.string(), (t, correlationId) => {
        const balances = { id: t.debitAccountId, tenantId: '0193a000-0000-7000-8000-000000000001', debitsPosted: 2n ** 70n, creditsPosted: 1n, debitsPending: 0n, creditsPending: 5n };
        const text = eventPayload(t, 'ledger.transfer.posted', 'e1', balances, { ...balances, id: t.creditAccountId, tenantId: null }, `,"correlationId":${JSON.stringify(correlationId)}`);
        const parsed = JSON.parse(text) as Record<string, unknown> & { transfer: Record<string, unknown>; accounts: Record<string, string>[] };
        assert.equal(parsed.seq, t.journalSeq.toString());
        assert.equal(parsed.transfer.amount, t.amount.toString());
        assert.equal(parsed.transfer.pendingId, t.pendingId);
        assert.equal(parsed.accounts[0]!.debitsPosted, (2n ** 70n).toString());
        // Each account's tenant (the webhooks fan-out routes by it); null for the platform's own.
        assert.deepEqual(parsed.accounts.map((a) => a.tenantId), ['0193a000-0000-7000-8000-000000000001', null]);
        assert.equal(parsed.correlationId, correlationId);
      }),
    );
  });
});

describe('chainHashAscii', () => {
  it('equals the documented chain hash for every journal entry', async () => {
    const { chainHashAscii } = await import('../src/domain/journal');
    const { chainHash } = await import('@baas/ledger-proofs');
    fc.assert(
      fc.property(recordArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (t, prev) => {
        const content = journalContent(t);
        assert.deepEqual(chainHashAscii(Buffer.from(prev), content), chainHash(Buffer.from(prev), content));
      }),
    );
  });
});
