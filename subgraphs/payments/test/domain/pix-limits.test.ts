import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import {
  DEFAULT_INCREASE_DELAY_MS, effectiveLimit, effectivePixLimits, pixLimitRefusal, pixPeriod, saoPauloMinuteOfDay, type LimitChange,
} from '../../src/domain/pix-limits';

const H = 3_600_000;
const t0 = Date.UTC(2026, 0, 10, 12);
const at = (ms: number) => new Date(t0 + ms);
const change = (ms: number, amount: bigint) => ({ amount, requestedAt: at(ms) });

describe('pixPeriod', () => {
  it('06:00-20:00 São Paulo (UTC-3) is daytime', () => {
    assert.equal(pixPeriod(new Date('2026-01-10T09:00:00Z')), 'DAYTIME');
    assert.equal(pixPeriod(new Date('2026-01-10T08:59:59Z')), 'NIGHTTIME');
    assert.equal(pixPeriod(new Date('2026-01-10T22:59:59Z')), 'DAYTIME');
    assert.equal(pixPeriod(new Date('2026-01-10T23:00:00Z')), 'NIGHTTIME');
    assert.equal(pixPeriod(new Date('2026-01-10T03:00:00Z')), 'NIGHTTIME');
    assert.equal(pixPeriod(new Date('2026-01-10T23:00:00Z'), { nightStartHour: 22 }), 'DAYTIME');
    assert.equal(pixPeriod(new Date('2026-01-11T01:00:00Z'), { nightStartHour: 22 }), 'NIGHTTIME');
    assert.throws(() => pixPeriod(new Date('2026-01-11T01:00:00Z'), { nightStartHour: 21 }), (e: unknown) => isDomainError(e) && e.code === 'BAD_USER_INPUT');
  });

  it('property: agrees with the tz database for America/Sao_Paulo (no DST since 2019)', () => {
    const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), (ms) => {
      const [h, m] = fmt.format(new Date(ms)).split(':').map(Number) as [number, number];
      assert.equal(saoPauloMinuteOfDay(new Date(ms)), h * 60 + m);
      assert.equal(pixPeriod(new Date(ms)), h >= 6 && h < 20 ? 'DAYTIME' : 'NIGHTTIME');
    }), { numRuns: 500 });
  });
});

describe('effectiveLimit: known cases', () => {
  it('a decrease is immediate, an increase waits 24 h', () => {
    const history = [change(0, 100_000n), change(H, 50_000n), change(2 * H, 500_000n)];
    assert.deepEqual(effectiveLimit(history, at(-1)), { amount: undefined });
    assert.deepEqual(effectiveLimit(history, at(0)), { amount: 100_000n });
    assert.deepEqual(effectiveLimit(history, at(H)), { amount: 50_000n });
    assert.deepEqual(effectiveLimit(history, at(2 * H)), { amount: 50_000n, pending: { amount: 500_000n, effectiveAt: at(2 * H + DEFAULT_INCREASE_DELAY_MS) } });
    assert.deepEqual(effectiveLimit(history, at(2 * H + DEFAULT_INCREASE_DELAY_MS - 1)).amount, 50_000n);
    assert.deepEqual(effectiveLimit(history, at(2 * H + DEFAULT_INCREASE_DELAY_MS)), { amount: 500_000n });
  });

  it('a decrease cancels a pending increase; a new increase restarts the delay; the delay is configurable', () => {
    const opts = { initial: 100_000n };
    assert.deepEqual(effectiveLimit([change(0, 900_000n), change(H, 80_000n)], at(48 * H), opts), { amount: 80_000n });
    const restarted = effectiveLimit([change(0, 900_000n), change(20 * H, 700_000n)], at(30 * H), opts);
    assert.deepEqual(restarted, { amount: 100_000n, pending: { amount: 700_000n, effectiveAt: at(44 * H) } });
    assert.deepEqual(effectiveLimit([change(0, 900_000n)], at(48 * H - 1), { ...opts, increaseDelayMs: 48 * H }).amount, 100_000n);
    assert.deepEqual(effectiveLimit([change(0, 900_000n)], at(2 * H), { ...opts, increaseDelayMs: 2 * H }), { amount: 900_000n });
    assert.throws(() => effectiveLimit([change(0, -1n)], at(0)), (e: unknown) => isDomainError(e) && e.details?.field === 'amount');
  });

  it('both periods from one history', () => {
    const history: LimitChange[] = [{ period: 'NIGHTTIME', ...change(0, 20_000n) }, { period: 'DAYTIME', ...change(0, 900_000n) }];
    const limits = effectivePixLimits(history, at(H), { initial: { DAYTIME: 500_000n, NIGHTTIME: 100_000n } });
    assert.deepEqual(limits.NIGHTTIME, { amount: 20_000n });
    assert.equal(limits.DAYTIME.amount, 500_000n);
    assert.equal(limits.DAYTIME.pending?.amount, 900_000n);
  });
});

/** Oracle: replays the history one request at a time, asking "is it above what is in force just before it?". */
function oracle(history: { amount: bigint; requestedAt: Date }[], t: number, delay: number, initial?: bigint): bigint | undefined {
  const sorted = history.map((c, i) => ({ ...c, i })).filter((c) => c.requestedAt.getTime() <= t)
    .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime() || a.i - b.i);
  const last = sorted.at(-1);
  if (!last) return initial;
  const rest = sorted.slice(0, -1);
  const time = last.requestedAt.getTime();
  const before = oracle(rest, time, delay, initial);
  if (before === undefined || last.amount <= before) return last.amount;
  return t >= time + delay ? last.amount : before;
}

describe('effectiveLimit: properties', () => {
  const historyArb = fc.array(fc.record({ ms: fc.integer({ min: 0, max: 200 * H }), amount: fc.bigInt({ min: 0n, max: 10n ** 9n }) }), { maxLength: 12 })
    .map((cs) => cs.map((c) => change(c.ms, c.amount)));

  it('matches the replay oracle', () => {
    fc.assert(fc.property(historyArb, fc.integer({ min: -H, max: 250 * H }), fc.integer({ min: 0, max: 72 * H }), fc.option(fc.bigInt({ min: 0n, max: 10n ** 9n }), { nil: undefined }),
      (history, t, delay, initial) => {
        const result = effectiveLimit(history, at(t), { increaseDelayMs: delay, ...(initial !== undefined ? { initial } : {}) });
        assert.equal(result.amount, oracle(history, t0 + t, delay, initial));
      }), { numRuns: 500 });
  });

  it('no raise is in force before its delay: the limit never exceeds the initial one or a request at least a delay old', () => {
    fc.assert(fc.property(historyArb, fc.integer({ min: 0, max: 250 * H }), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 0, max: 72 * H }), (history, t, initial, delay) => {
      const now = effectiveLimit(history, at(t), { initial, increaseDelayMs: delay }).amount;
      const aged = history.filter((c) => c.requestedAt.getTime() <= t0 + t - delay).map((c) => c.amount);
      const ceiling = aged.reduce((a, b) => (a > b ? a : b), initial);
      assert.ok(now !== undefined && now <= ceiling);
      // A decrease requested just now is in force now.
      assert.equal(effectiveLimit([...history, change(t, 0n)], at(t), { initial, increaseDelayMs: delay }).amount, 0n);
    }), { numRuns: 300 });
  });
});

describe('pixLimitRefusal', () => {
  it('applies the limit of the period the payment falls in', () => {
    const limits = { DAYTIME: 500_000n, NIGHTTIME: 100_000n };
    const night = new Date('2026-01-10T23:30:00Z');
    const day = new Date('2026-01-10T15:00:00Z');
    assert.equal(pixLimitRefusal({ amount: 100_000n, at: night, limits }), null);
    const refusal = pixLimitRefusal({ amount: 100_001n, at: night, limits });
    assert.equal(refusal?.code, 'LIMIT_EXCEEDED');
    assert.deepEqual(refusal?.details, { limit: 'PIX_NIGHTTIME', limitAmount: '100000', remaining: '100000', requested: '100001' });
    assert.equal(pixLimitRefusal({ amount: 100_001n, at: day, limits }), null);
    assert.equal(pixLimitRefusal({ amount: 1n, at: day, limits, used: 500_000n })?.details?.limit, 'PIX_DAYTIME');
    assert.equal(pixLimitRefusal({ amount: 1n, at: day, limits: {} }), null);
    assert.throws(() => pixLimitRefusal({ amount: 0n, at: day, limits }), (e: unknown) => isDomainError(e) && e.code === 'BAD_USER_INPUT');
  });
});
