import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Holidays from 'date-holidays';
import { isDomainError } from '@baas/errors';
import {
  addDays, createBusinessCalendar, defaultBankOnlyDays, easterSunday, instantAt, isBusinessDay, localDateOf,
  localMinutesOf, nextBusinessDay, parseLocalDate, weekday,
} from '../../src/domain/business-days';

const dateArb = fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2060, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('business days (Brazil)', () => {
  it('known vectors: weekends, national holidays, Carnival, Corpus Christi', () => {
    assert.equal(isBusinessDay('2026-01-01'), false); // Confraternização Universal
    assert.equal(isBusinessDay('2026-01-02'), true);
    assert.equal(isBusinessDay('2026-01-03'), false); // Saturday
    assert.equal(isBusinessDay('2026-01-04'), false); // Sunday
    assert.equal(isBusinessDay('2026-02-16'), false); // Carnival Monday
    assert.equal(isBusinessDay('2026-02-17'), false); // Carnival Tuesday
    assert.equal(isBusinessDay('2026-02-18'), true); // Ash Wednesday (banks open at noon; counted as business)
    assert.equal(isBusinessDay('2026-04-03'), false); // Good Friday
    assert.equal(isBusinessDay('2026-04-21'), false); // Tiradentes
    assert.equal(isBusinessDay('2026-06-04'), false); // Corpus Christi
    assert.equal(isBusinessDay('2026-11-20'), false); // Consciência Negra (national since 2024)
    assert.equal(isBusinessDay('2026-12-25'), false);
    assert.equal(nextBusinessDay('2026-02-13'), '2026-02-18'); // Friday before Carnival
    assert.equal(nextBusinessDay('2026-04-02'), '2026-04-06'); // over Good Friday and the weekend
    assert.equal(nextBusinessDay('2025-12-31'), '2026-01-02');
  });

  it('Easter: known years', () => {
    assert.equal(easterSunday(2024), '2024-03-31');
    assert.equal(easterSunday(2025), '2025-04-20');
    assert.equal(easterSunday(2026), '2026-04-05');
    assert.equal(easterSunday(2038), '2038-04-25');
    assert.deepEqual(defaultBankOnlyDays(2026), ['2026-02-16', '2026-02-17', '2026-06-04']);
  });

  it('property: default bank-only days agree with the bank days date-holidays lists for BR', () => {
    const hd = new Holidays('BR');
    fc.assert(fc.property(fc.integer({ min: 2000, max: 2099 }), (year) => {
      const lib = hd.getHolidays(year).filter((h) => h.type === 'bank').map((h) => h.date.slice(0, 10)).sort();
      assert.deepEqual(defaultBankOnlyDays(year).sort(), lib);
    }), { numRuns: 100 });
  });

  it('extra bank-only days add to the defaults of every year', () => {
    const cal = createBusinessCalendar({ extraBankOnlyDays: ['2026-03-10', '2031-07-01'] });
    assert.equal(cal.isBusinessDay('2026-03-10'), false);
    assert.equal(cal.isBusinessDay('2031-07-01'), false);
    assert.equal(cal.isBusinessDay('2026-02-16'), false); // Carnival still there
    assert.equal(cal.isBusinessDay('2030-03-04'), false); // and in later years (Carnival Monday 2030)
    assert.throws(() => createBusinessCalendar({ extraBankOnlyDays: ['2026-13-01'] }), (e: unknown) => isDomainError(e) && e.details?.reason === 'BAD_DATE');
  });

  it('bank-only days are data: a supplied list replaces the default', () => {
    const cal = createBusinessCalendar({ bankOnlyDays: ['2026-03-10'] });
    assert.equal(cal.isBusinessDay('2026-03-10'), false);
    assert.equal(cal.isBusinessDay('2026-02-16'), true); // Carnival not in the supplied list
    assert.equal(cal.isBusinessDay('2026-04-03'), false); // national holidays still apply
    assert.deepEqual(createBusinessCalendar({ bankOnlyDays: [] }).holidays(2026).includes('2026-06-04'), false);
    assert.throws(() => createBusinessCalendar({ bankOnlyDays: ['2026-02-30'] }), (e: unknown) => isDomainError(e) && e.details?.reason === 'BAD_DATE');
  });

  it('property: nextBusinessDay is a later business day, and every day in between is not a business day', () => {
    fc.assert(fc.property(dateArb, (d) => {
      const next = nextBusinessDay(d);
      assert.ok(next > d);
      assert.ok(isBusinessDay(next));
      assert.ok(weekday(next) >= 1 && weekday(next) <= 5);
      for (let x = addDays(d, 1); x < next; x = addDays(x, 1)) assert.equal(isBusinessDay(x), false);
    }), { numRuns: 300 });
  });

  it('instants are read in America/Sao_Paulo (UTC-3)', () => {
    const late = new Date('2026-01-02T02:30:00Z'); // 2026-01-01 23:30 local
    assert.equal(localDateOf(late), '2026-01-01');
    assert.equal(localMinutesOf(late), 23 * 60 + 30);
    assert.equal(isBusinessDay(late), false);
    assert.equal(instantAt('2026-01-02', 390).toISOString(), '2026-01-02T09:30:00.000Z');
    fc.assert(fc.property(dateArb, fc.integer({ min: 0, max: 1439 }), (d, min) => {
      const t = instantAt(d, min);
      assert.equal(localDateOf(t), d);
      assert.equal(localMinutesOf(t), min);
    }));
  });

  it('refuses malformed dates with a coded error', () => {
    for (const bad of ['2026-13-01', '2026-2-1', 'x', '2025-02-29']) {
      assert.throws(() => parseLocalDate(bad), (e: unknown) => isDomainError(e) && e.code === 'BAD_USER_INPUT' && e.details?.reason === 'BAD_DATE');
    }
  });
});
