import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPrismaClient } from '@baas/db';
import { isMoneyError, type MoneyErrorCode } from '@baas/money';
import { createTestDatabase } from '@baas/testing';
import { dayWindow, localDate, type LimitCheckInput, type Limits } from '../src/domain/index';
import { PrismaClient } from '../src/generated/prisma/client';
import * as store from '../src/store/limits-store';

const code = (expected: MoneyErrorCode) => (error: unknown) => isMoneyError(error, expected);
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const windowOf = (iso: string, zone?: string) => {
  const w = dayWindow(at(iso), zone);
  return [w.start.toISOString(), w.end.toISOString()];
};

const base = { currency: 'BRL', usedToday: { customer: 0n, tenant: 0n } };

// The limits rule lives in PostgreSQL (accounts.fits_limit / check_limits, migration limit_rule):
// these are its tests, through the store, on a real database.
describe('checkLimits', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  const checkLimits = (input: LimitCheckInput) => store.checkLimits(db, input);
  const availableAmount = (input: Omit<LimitCheckInput, 'amount'>) => store.availableAmount(db, input);
  before(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(PrismaClient, database.url);
  });
  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('allows anything when no limit is configured', async () => {
    assert.deepEqual(await checkLimits({ ...base, amount: 10n ** 30n, limits: {} }), { ok: true });
    assert.deepEqual(await checkLimits({ ...base, amount: 1n, limits: { perTransaction: null, perDayCustomer: undefined } }), { ok: true });
  });

  it('enforces the per-transaction limit inclusively', async () => {
    const limits = { perTransaction: 100_000n };
    assert.deepEqual(await checkLimits({ ...base, amount: 100_000n, limits }), { ok: true });
    assert.deepEqual(await checkLimits({ ...base, amount: 100_001n, limits }), {
      ok: false,
      refusal: {
        limit: 'PER_TRANSACTION',
        currency: 'BRL',
        limitAmount: 100_000n,
        used: 0n,
        remaining: 100_000n,
        requested: 100_001n,
        exceeded: ['PER_TRANSACTION'],
      },
    });
  });

  it('enforces daily limits against what was already used', async () => {
    const input = { currency: 'BRL', usedToday: { customer: 450_000n, tenant: 9_990_000n }, limits: { perDayCustomer: 500_000n, perDayTenant: 10_000_000n } };
    assert.deepEqual(await checkLimits({ ...input, amount: 10_000n }), { ok: true });
    const customer = await checkLimits({ ...input, amount: 20_000n });
    assert.ok(!customer.ok);
    assert.equal(customer.refusal.limit, 'PER_DAY_TENANT'); // tenant headroom (10 000) is tighter than the customer's (50 000)
    assert.equal(customer.refusal.remaining, 10_000n);
    assert.deepEqual(customer.refusal.exceeded, ['PER_DAY_TENANT']);

    const both = await checkLimits({ ...input, amount: 60_000n });
    assert.ok(!both.ok);
    assert.equal(both.refusal.limit, 'PER_DAY_TENANT');
    assert.deepEqual(both.refusal.exceeded, ['PER_DAY_CUSTOMER', 'PER_DAY_TENANT']);

    const onlyCustomer = await checkLimits({ ...input, usedToday: { customer: 450_000n, tenant: 0n }, amount: 60_000n });
    assert.ok(!onlyCustomer.ok);
    assert.deepEqual(
      { limit: onlyCustomer.refusal.limit, used: onlyCustomer.refusal.used, remaining: onlyCustomer.refusal.remaining },
      { limit: 'PER_DAY_CUSTOMER', used: 450_000n, remaining: 50_000n },
    );
  });

  it('reports zero headroom once a limit is used up (or exceeded by earlier changes), and a 0n limit allows nothing', async () => {
    const over = await checkLimits({ ...base, usedToday: { customer: 700n, tenant: 0n }, amount: 1n, limits: { perDayCustomer: 500n } });
    assert.ok(!over.ok);
    assert.equal(over.refusal.remaining, 0n);
    const blocked = await checkLimits({ ...base, amount: 1n, limits: { perTransaction: 0n } });
    assert.ok(!blocked.ok);
    assert.equal(blocked.refusal.remaining, 0n);
  });

  it('names the per-transaction limit first on a tie', async () => {
    const r = await checkLimits({ ...base, usedToday: { customer: 500n, tenant: 500n }, amount: 2000n, limits: { perTransaction: 1000n, perDayCustomer: 1500n, perDayTenant: 1500n } });
    assert.ok(!r.ok);
    assert.equal(r.refusal.limit, 'PER_TRANSACTION');
    assert.deepEqual(r.refusal.exceeded, ['PER_TRANSACTION', 'PER_DAY_CUSTOMER', 'PER_DAY_TENANT']);
  });

  it('rejects malformed input', async () => {
    const limits = { perTransaction: 10n };
    for (const amount of [0n, -1n, 5 as unknown as bigint]) {
      await assert.rejects(checkLimits({ ...base, amount, limits }), code('INVALID_AMOUNT'), String(amount));
    }
    await assert.rejects(checkLimits({ ...base, usedToday: { customer: -1n, tenant: 0n }, amount: 1n, limits }), code('INVALID_AMOUNT'));
    await assert.rejects(checkLimits({ ...base, usedToday: { customer: 0n, tenant: 1 as unknown as bigint }, amount: 1n, limits }), code('INVALID_AMOUNT'));
    await assert.rejects(checkLimits({ ...base, amount: 1n, limits: { perDayTenant: -1n } }), code('INVALID_AMOUNT'));
    await assert.rejects(checkLimits({ ...base, currency: 'brl', amount: 1n, limits }), code('UNKNOWN_CURRENCY'));
  });

  it('availableAmount is the smallest headroom, or null without limits', async () => {
    assert.equal(await availableAmount({ ...base, limits: {} }), null);
    assert.equal(await availableAmount({ currency: 'BRL', usedToday: { customer: 100n, tenant: 0n }, limits: { perTransaction: 1000n, perDayCustomer: 600n } }), 500n);
  });

  const optionalLimit = fc.option(fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.bigInt({ min: 0n, max: 10n ** 15n })), { nil: undefined });
  const inputArb = fc.record({
    amount: fc.oneof(fc.bigInt({ min: 1n, max: 10_000n }), fc.bigInt({ min: 1n, max: 10n ** 15n })),
    currency: fc.constantFrom('BRL', 'USD', 'JPY', 'KWD'),
    usedToday: fc.record({ customer: fc.bigInt({ min: 0n, max: 10n ** 15n }), tenant: fc.bigInt({ min: 0n, max: 10n ** 15n }) }),
    limits: fc.record({ perTransaction: optionalLimit, perDayCustomer: optionalLimit, perDayTenant: optionalLimit }) as fc.Arbitrary<Limits>,
  }) as fc.Arbitrary<LimitCheckInput>;

  it('never allows a total above any configured limit, and refuses only when one would be exceeded', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        const { amount, usedToday, limits } = input;
        const fits =
          (limits.perTransaction == null || amount <= limits.perTransaction) &&
          (limits.perDayCustomer == null || usedToday.customer + amount <= limits.perDayCustomer) &&
          (limits.perDayTenant == null || usedToday.tenant + amount <= limits.perDayTenant);
        const result = await checkLimits(input);
        assert.equal(result.ok, fits);
        const available = await availableAmount(input);
        assert.equal(result.ok, available === null || amount <= available);
        if (!result.ok) {
          const { refusal } = result;
          assert.ok(refusal.exceeded.includes(refusal.limit));
          assert.ok(refusal.remaining < amount && refusal.remaining >= 0n);
          assert.equal(refusal.remaining, available); // the named limit is the binding one
          // Its remaining headroom really is allowed (when there is any).
          if (refusal.remaining > 0n) assert.deepEqual(await checkLimits({ ...input, amount: refusal.remaining }), { ok: true });
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('dayWindow', () => {
  it('gives the São Paulo day (UTC-3) by default', () => {
    assert.deepEqual(windowOf('2024-06-15T12:00:00Z'), ['2024-06-15T03:00:00.000Z', '2024-06-16T03:00:00.000Z']);
    assert.deepEqual(windowOf('2024-06-15T03:00:00Z'), ['2024-06-15T03:00:00.000Z', '2024-06-16T03:00:00.000Z']);
    assert.deepEqual(windowOf('2024-06-15T02:59:59.999Z'), ['2024-06-14T03:00:00.000Z', '2024-06-15T03:00:00.000Z']);
    assert.deepEqual(windowOf('2024-12-31T23:30:00Z'), ['2024-12-31T03:00:00.000Z', '2025-01-01T03:00:00.000Z']);
    assert.equal(localDate(at('2024-12-31T23:30:00Z')), '2024-12-31');
    assert.equal(localDate(at('2025-01-01T03:00:00Z')), '2025-01-01');
  });

  it('follows historical Brazilian DST from the time zone data, not a fixed offset', () => {
    // 2018-11-04: DST started at midnight, so the day began at 01:00 local and lasted 23 hours.
    assert.deepEqual(windowOf('2018-11-04T12:00:00Z'), ['2018-11-04T03:00:00.000Z', '2018-11-05T02:00:00.000Z']);
    // 2019-02-16: DST ended at midnight, clocks went back to 23:00; that day lasted 25 hours.
    assert.deepEqual(windowOf('2019-02-16T12:00:00Z'), ['2019-02-16T02:00:00.000Z', '2019-02-17T03:00:00.000Z']);
    assert.deepEqual(windowOf('2019-02-17T02:30:00Z'), ['2019-02-16T02:00:00.000Z', '2019-02-17T03:00:00.000Z']);
  });

  it('works in other zones, including half-hour offsets, DST and a skipped day', () => {
    assert.deepEqual(windowOf('2024-03-10T12:00:00Z', 'America/New_York'), ['2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z']);
    assert.deepEqual(windowOf('2024-06-15T12:00:00Z', 'Asia/Kolkata'), ['2024-06-14T18:30:00.000Z', '2024-06-15T18:30:00.000Z']);
    assert.deepEqual(windowOf('2024-06-15T12:00:00Z', 'UTC'), ['2024-06-15T00:00:00.000Z', '2024-06-16T00:00:00.000Z']);
    // Samoa skipped 2011-12-30 entirely: the 29th ended straight into the 31st.
    assert.deepEqual(windowOf('2011-12-29T12:00:00Z', 'Pacific/Apia'), ['2011-12-29T10:00:00.000Z', '2011-12-30T10:00:00.000Z']);
    assert.equal(localDate(at('2011-12-30T10:00:00Z'), 'Pacific/Apia'), '2011-12-31');
  });

  it('rejects invalid dates and unknown zones', () => {
    assert.throws(() => dayWindow(new Date(Number.NaN)), RangeError);
    assert.throws(() => dayWindow('2024-01-01' as unknown as Date), RangeError);
    assert.throws(() => dayWindow(new Date(), 'Mars/Olympus_Mons'), RangeError);
  });

  const ZONES = [
    'America/Sao_Paulo', 'America/Noronha', 'America/Manaus', 'America/New_York', 'America/St_Johns', 'Europe/London',
    'Europe/Lisbon', 'Africa/Casablanca', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham',
    'Pacific/Apia', 'Pacific/Kiritimati', 'UTC',
  ];
  const instantArb = fc.date({ min: at('1900-01-01T00:00:00Z'), max: at('2150-01-01T00:00:00Z'), noInvalidDate: true });

  it('returns [start, end) bounding exactly the local date of now', () => {
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...ZONES), (now, zone) => {
        const { start, end } = dayWindow(now, zone);
        const today = localDate(now, zone);
        assert.ok(start.getTime() <= now.getTime() && now.getTime() < end.getTime());
        assert.equal(localDate(start, zone), today);
        assert.ok(localDate(new Date(start.getTime() - 1), zone) < today);
        assert.equal(localDate(new Date(end.getTime() - 1), zone), today);
        assert.ok(localDate(end, zone) > today);
        assert.ok(end.getTime() - start.getTime() <= 48 * HOUR);
      }),
      { numRuns: 1000 },
    );
  });

  it('matches a fixed UTC-3 day in São Paulo since DST ended in 2019', () => {
    fc.assert(
      fc.property(fc.date({ min: at('2019-03-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true }), (now) => {
        const shifted = now.getTime() - 3 * HOUR;
        const start = shifted - (((shifted % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR)) + 3 * HOUR;
        assert.deepEqual(dayWindow(now), { start: new Date(start), end: new Date(start + 24 * HOUR) });
      }),
      { numRuns: 500 },
    );
  });
});
