import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import { instantAt } from '../../src/domain/business-days';
import {
  amountDueAt, chargePayable, fineOf, interestOf, locationPayload, parseChargeTerms, parsePayloadAmount, type ChargeTerms,
} from '../../src/domain/pix-charges';

const created = new Date('2026-03-02T12:00:00Z');
const cobv = (over: Partial<ChargeTerms> = {}): ChargeTerms => ({
  kind: 'COBV', status: 'ATIVA', amount: 100_00n, createdAt: created, expiration: 30, dueDate: '2026-03-10',
  rules: { fineBps: 200, interestMonthlyBps: 100, discount: 5_00n }, ...over,
});
/** Noon São Paulo time on `date`. */
const noon = (date: string) => instantAt(date, 12 * 60);
const badField = (field: string) => (e: unknown) => isDomainError(e) && e.code === 'BAD_USER_INPUT' && e.details?.field === field;

describe('amountDueAt (cobv)', () => {
  it('discount until the due date (inclusive, São Paulo), fine and interest after', () => {
    assert.equal(amountDueAt(cobv(), noon('2026-03-10')).final, 95_00n);
    assert.equal(amountDueAt(cobv(), instantAt('2026-03-10', 23 * 60 + 59)).final, 95_00n);
    // 1 day late: fine 2.00 + interest 100.00 × 1 % / 30 = 0.0333 → 0.03
    assert.deepEqual(amountDueAt(cobv(), noon('2026-03-11')), { original: 100_00n, fine: 2_00n, interest: 3n, discount: 0n, final: 102_03n });
    // 30 days late: a whole month of interest
    assert.equal(amountDueAt(cobv(), noon('2026-04-09')).interest, 1_00n);
  });

  it('a cob owes its amount', () => {
    assert.equal(amountDueAt(cobv({ kind: 'COB', dueDate: null }), noon('2027-01-01')).final, 100_00n);
  });

  it('rounds HALF_UP', () => {
    assert.equal(fineOf(25n, 200), 1n); // 0.5 → 1
    assert.equal(fineOf(24n, 200), 0n); // 0.48 → 0
    assert.equal(interestOf(150_000n, 1, 1), 1n); // 0.5 → 1
    assert.equal(interestOf(149_999n, 1, 1), 0n);
  });

  const terms = fc.record({
    amount: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    fineBps: fc.integer({ min: 0, max: 10_000 }),
    interestMonthlyBps: fc.integer({ min: 0, max: 10_000 }),
    discountPart: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  });
  const build = (t: { amount: bigint; fineBps: number; interestMonthlyBps: number; discountPart: bigint }) =>
    cobv({ amount: t.amount, rules: { fineBps: t.fineBps, interestMonthlyBps: t.interestMonthlyBps, discount: t.discountPart % t.amount } });

  it('property: never negative; the discount only up to the due date', () => {
    fc.assert(fc.property(terms, fc.integer({ min: -40, max: 0 }), (t, offset) => {
      const c = build(t);
      const due = amountDueAt(c, noon('2026-03-10'));
      const before = amountDueAt(c, new Date(noon('2026-03-10').getTime() + offset * 86_400_000));
      assert.ok(before.final >= 0n);
      assert.equal(before.final, t.amount - c.rules.discount);
      assert.deepEqual(before, due);
    }));
  });

  it('property: after the due date the fine comes once and the interest grows pro rata per calendar day', () => {
    fc.assert(fc.property(terms, fc.integer({ min: 1, max: 400 }), (t, late) => {
      const c = build(t);
      const at = new Date(noon('2026-03-10').getTime() + late * 86_400_000);
      const d = amountDueAt(c, at);
      const next = amountDueAt(c, new Date(at.getTime() + 86_400_000));
      assert.equal(d.discount, 0n);
      assert.equal(d.fine, next.fine); // the fine does not grow
      assert.equal(d.fine, fineOf(t.amount, t.fineBps));
      // exact pro rata: |interest × 300 000 − amount × bps × days| ≤ 150 000 (half a centavo)
      const exact = t.amount * BigInt(t.interestMonthlyBps) * BigInt(late);
      const diff = d.interest * 300_000n - exact;
      assert.ok(diff <= 150_000n && diff > -150_000n);
      assert.ok(next.interest >= d.interest);
      assert.equal(d.final, t.amount + d.fine + d.interest);
      assert.ok(d.final >= t.amount);
    }));
  });
});

describe('chargePayable', () => {
  it('a cob expires expiration seconds after creation', () => {
    const cob = cobv({ kind: 'COB', dueDate: null, expiration: 60 });
    assert.deepEqual(chargePayable(cob, new Date(created.getTime() + 59_999)), { ok: true, amountDue: 100_00n });
    assert.deepEqual(chargePayable(cob, new Date(created.getTime() + 60_000)), { ok: false, code: 'CHARGE_EXPIRED' });
  });

  it('a cobv may be paid until dueDate + expiration days (São Paulo dates)', () => {
    assert.equal(chargePayable(cobv(), instantAt('2026-04-09', 23 * 60 + 59)).ok, true);
    assert.deepEqual(chargePayable(cobv(), instantAt('2026-04-10', 0)), { ok: false, code: 'CHARGE_EXPIRED' });
  });

  it('only ATIVA is payable', () => {
    for (const status of ['CONCLUIDA', 'REMOVIDA_PELO_USUARIO_RECEBEDOR', 'REMOVIDA_PELO_PSP']) {
      assert.deepEqual(chargePayable(cobv({ status }), noon('2026-03-05')), { ok: false, code: 'CHARGE_NOT_ACTIVE' });
    }
  });
});

describe('parseChargeTerms', () => {
  const today = '2026-03-02';
  it('defaults and validation', () => {
    assert.deepEqual(parseChargeTerms({ kind: 'COB', amount: 100n, today }), { kind: 'COB', expiration: 3600, dueDate: null, rules: { fineBps: 0, interestMonthlyBps: 0, discount: 0n } });
    assert.equal(parseChargeTerms({ kind: 'COBV', amount: 100n, dueDate: '2026-03-02', today }).expiration, 30);
    assert.throws(() => parseChargeTerms({ kind: 'X', amount: 100n, today }), badField('kind'));
    assert.throws(() => parseChargeTerms({ kind: 'COB', amount: 100n, dueDate: '2026-03-03', today }), badField('dueDate'));
    assert.throws(() => parseChargeTerms({ kind: 'COB', amount: 100n, expiration: 0, today }), badField('expiration'));
    assert.throws(() => parseChargeTerms({ kind: 'COBV', amount: 100n, today }), badField('dueDate'));
    assert.throws(() => parseChargeTerms({ kind: 'COBV', amount: 100n, dueDate: '2026-03-01', today }), badField('dueDate'));
    assert.throws(() => parseChargeTerms({ kind: 'COBV', amount: 100n, dueDate: '2026-02-30', today }), badField('dueDate'));
    assert.throws(() => parseChargeTerms({ kind: 'COBV', amount: 100n, dueDate: '2026-03-05', fineBps: 10_001, today }), badField('fineBps'));
    assert.throws(() => parseChargeTerms({ kind: 'COBV', amount: 100n, dueDate: '2026-03-05', interestMonthlyBps: 1.5, today }), badField('interestMonthlyBps'));
    assert.throws(() => parseChargeTerms({ kind: 'COBV', amount: 100n, dueDate: '2026-03-05', discount: 100n, today }), badField('discount'));
  });
});

describe('locationPayload', () => {
  it('serves the API Pix shape with 2-decimal amounts', () => {
    const p = locationPayload({ ...cobv(), txid: 'a'.repeat(26), revision: 1, key: 'k@example.com', description: 'Pedido 1' }, noon('2026-03-11')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(p.valor, { original: '100.00', multa: '2.00', juros: '0.03', desconto: '0.00', final: '102.03' });
    assert.equal(p.calendario!.dataDeVencimento, '2026-03-10');
    assert.equal(p.calendario!.validadeAposVencimento, 30);
    assert.equal(p.solicitacaoPagador, 'Pedido 1');
    const cob = locationPayload({ ...cobv({ kind: 'COB', dueDate: null }), txid: 'a'.repeat(26), revision: 0, key: 'k', description: null }, created) as Record<string, Record<string, unknown>>;
    assert.deepEqual(cob.valor, { original: '100.00' });
    assert.equal(cob.calendario!.expiracao, 30);
    assert.equal(parsePayloadAmount('102.03'), 102_03n);
    assert.equal(parsePayloadAmount('0.00'), 0n);
    assert.equal(parsePayloadAmount('1.5'), null);
  });
});
