import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildGraphAlerts } from '../../src/domain/graph-alerts';
import { normalizeIdentifier, parseLedgerPosted, parseObserved } from '../../src/domain/graph-events';
import { canonicalCycle, components, isMule, muleScore, sharedDegrees } from '../../src/domain/graph-features';

describe('graph domain (pure)', () => {
  it('mule score is the contract formula, within [0, 1], computed from bigint sums', () => {
    assert.equal(muleScore(0, 100n, 100n), 0);
    assert.equal(muleScore(4, 0n, 100n), 0);
    assert.equal(muleScore(5, 100n, 100n), 1);
    assert.equal(muleScore(4, 1000n, 900n), 0.8 * (0.5 + 0.5 * 0.9));
    assert.equal(muleScore(10, 1000n, 0n), 0.5);
    fc.assert(
      fc.property(fc.nat(50), fc.bigInt(0n, 10n ** 30n), fc.bigInt(0n, 10n ** 30n), (u, inSum, outSum) => {
        const s = muleScore(u, inSum, outSum);
        assert.ok(s >= 0 && s <= 1);
        if (inSum === 0n || u === 0) assert.equal(s, 0);
        else {
          const ratio = outSum >= inSum ? 1 : Number(outSum) / Number(inSum);
          assert.ok(Math.abs(s - Math.min(1, u / 5) * (0.5 + 0.5 * ratio)) < 1e-6);
        }
        assert.equal(isMule(u, inSum, outSum), u >= 3 && inSum > 0n && 2n * outSum >= inSum);
      }),
    );
  });

  it('a cycle has one spelling whichever account it starts from', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 3, maxLength: 6 }), fc.nat(), (ids, k) => {
        const r = k % ids.length;
        const rotated = [...ids.slice(r), ...ids.slice(0, r)];
        assert.deepEqual(canonicalCycle(rotated), canonicalCycle(ids));
        assert.equal(canonicalCycle(ids)[0], [...ids].sort()[0]);
      }),
    );
  });

  it('components and degrees over groups match a naive closure', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 2, maxLength: 4 }), { maxLength: 8 }), (raw) => {
        const groups = raw.map((g) => g.map((n) => `c${n}`));
        const comps = components(groups);
        const linked = (a: string, b: string) => groups.some((g) => g.includes(a) && g.includes(b));
        for (const comp of comps) for (const a of comp) for (const b of comps.flat()) {
          if (a !== b && linked(a, b)) assert.ok(comp.includes(b));
        }
        const members = new Set(groups.flat());
        assert.equal(comps.flat().length, members.size);
        const degrees = sharedDegrees(groups);
        for (const a of members) assert.equal(degrees.get(a), [...members].filter((b) => b !== a && linked(a, b)).length);
      }),
    );
  });

  it('parses ledger events and never keeps a clear e-mail or phone', () => {
    const data = {
      occurredAt: '2025-06-01T12:00:00.000Z',
      transfer: { id: 't1', debitAccountId: 'a1', creditAccountId: 'a2', amount: '340282366920938463463374607431768211455', currency: 'BRL' },
    };
    assert.equal(parseLedgerPosted('e1', data)?.amount, 340282366920938463463374607431768211455n);
    assert.equal(parseLedgerPosted('e1', { ...data, transfer: { ...data.transfer, amount: '1.5' } }), null);
    assert.equal(parseLedgerPosted('e1', { ...data, transfer: { ...data.transfer, creditAccountId: 'a1' } }), null);
    assert.equal(normalizeIdentifier({ kind: 'EMAIL', value: 'ana@example.com' }), null);
    assert.equal(normalizeIdentifier({ kind: 'PHONE', value: '+5511999998888' }), null);
    assert.equal(normalizeIdentifier({ kind: 'IP', value: '300.1.1.1' }), null);
    assert.deepEqual(normalizeIdentifier({ kind: 'IP', value: 'FD00::1' }), { kind: 'IP', value: 'fd00::1' });
    assert.deepEqual(normalizeIdentifier({ kind: 'PHONE', value: 'q83vEjRWeJCrze8SNFZ4kA' }), { kind: 'PHONE', value: 'q83vEjRWeJCrze8SNFZ4kA' });
    const seen = parseObserved('e2', '2025-06-01T12:00:00.000Z', {
      tenantId: 't',
      customerId: 'c',
      accountId: 'a',
      identifiers: [{ kind: 'EMAIL', value: 'ana@example.com' }, { kind: 'DEVICE', value: 'd1' }, { kind: 'DEVICE', value: 'd1' }],
    });
    assert.deepEqual(seen?.identifiers, [{ kind: 'DEVICE', value: 'd1' }]);
    assert.equal(seen?.dropped, 2);
    assert.equal(parseObserved('e3', '2025-06-01T12:00:00.000Z', { customerId: 'c' }), null);
    fc.assert(
      fc.property(fc.anything(), (x) => {
        parseObserved('e', '2025-06-01T12:00:00.000Z', x);
        parseLedgerPosted('e', x);
      }),
    );
  });

  it('alerts: one per tenant, naming only that tenant, with stable dedupe keys', () => {
    const findings = {
      groups: [{ identifierKey: 'DEVICE:d', kind: 'DEVICE', customers: [{ id: 'c1', tenantId: 'A' }, { id: 'c2', tenantId: 'B' }] }],
      rings: [{ customers: [{ id: 'c1', tenantId: 'A' }, { id: 'c2', tenantId: 'B' }], size: 2 }],
      cycles: [{ accountIds: ['a1', 'a2', 'a3'], length: 3 }],
      mules: [{ accountId: 'a9', tenantId: 'A', currency: 'BRL', unrelatedPayers: 4, inSum: 10n, outSum: 9n, score: 0.76 }],
      proximity: [{ customerId: 'c1', tenantId: 'A', hops: 1 }, { customerId: 'c3', tenantId: 'A', hops: 3 }],
    };
    const tenants = new Map([['a1', 'A'], ['a2', 'A'], ['a3', 'B']]);
    const alerts = buildGraphAlerts(findings, tenants);
    assert.deepEqual(alerts.map((a) => `${a.kind}:${a.tenantId}:${a.subjectIds.join(',')}`), [
      'SHARED_IDENTIFIERS:A:c1', 'SHARED_IDENTIFIERS:B:c2', 'CYCLE:A:a1,a2', 'CYCLE:B:a3', 'MULE:A:a9', 'FRAUD_PROXIMITY:A:c1',
    ]);
    assert.deepEqual(buildGraphAlerts(findings, tenants).map((a) => a.dedupeKey), alerts.map((a) => a.dedupeKey));
    assert.equal(new Set(alerts.map((a) => a.dedupeKey)).size, alerts.length);
    assert.equal(alerts.find((a) => a.kind === 'MULE')?.details.inAmount, '10');
  });
});
