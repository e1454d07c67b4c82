import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import { createBusinessCalendar, instantAt, isBusinessDay, localDateOf } from '../../src/domain/business-days';
import { isInsideTedWindow, tedReleaseAt, tedSchedule, type TedWindow } from '../../src/domain/ted';

const at = (iso: string) => new Date(iso);
const instantArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms));
const coded = (reason: string) => (e: unknown) => isDomainError(e) && e.code === 'BAD_USER_INPUT' && e.details?.reason === reason;

describe('TED window', () => {
  it('known vectors (local = UTC-3)', () => {
    assert.deepEqual(tedSchedule(at('2026-01-05T13:00:00Z')), { kind: 'NOW' }); // Mon 10:00
    assert.deepEqual(tedSchedule(at('2026-01-05T09:30:00Z')), { kind: 'NOW' }); // Mon 06:30 exactly
    const early = tedSchedule(at('2026-01-05T09:29:59Z')); // Mon 06:29:59
    assert.deepEqual(early, { kind: 'SCHEDULED', at: at('2026-01-05T09:30:00Z'), date: '2026-01-05' });
    const cutoff = tedSchedule(at('2026-01-05T20:00:00Z')); // Mon 17:00 exactly: after the cut-off
    assert.deepEqual(cutoff, { kind: 'SCHEDULED', at: at('2026-01-06T09:30:00Z'), date: '2026-01-06' });
    const friday = tedSchedule(at('2026-02-13T21:00:00Z')); // Fri before Carnival, 18:00
    assert.deepEqual(friday, { kind: 'SCHEDULED', at: at('2026-02-18T09:30:00Z'), date: '2026-02-18' });
    const holiday = tedSchedule(at('2026-04-21T14:00:00Z')); // Tiradentes, 11:00
    assert.deepEqual(holiday, { kind: 'SCHEDULED', at: at('2026-04-22T09:30:00Z'), date: '2026-04-22' });
    const lateNightUtc = tedSchedule(at('2026-01-06T01:00:00Z')); // still Mon 22:00 locally
    assert.deepEqual(lateNightUtc, { kind: 'SCHEDULED', at: at('2026-01-06T09:30:00Z'), date: '2026-01-06' });
  });

  it('requested future dates: that day if a business day, else the next one', () => {
    const now = at('2026-01-05T13:00:00Z');
    assert.deepEqual(tedSchedule(now, { requestedDate: '2026-01-07' }), { kind: 'SCHEDULED', at: at('2026-01-07T09:30:00Z'), date: '2026-01-07' });
    assert.deepEqual(tedSchedule(now, { requestedDate: '2026-01-10' }), { kind: 'SCHEDULED', at: at('2026-01-12T09:30:00Z'), date: '2026-01-12' });
    assert.deepEqual(tedSchedule(now, { requestedDate: '2026-01-05' }), { kind: 'NOW' });
    assert.throws(() => tedSchedule(now, { requestedDate: '2026-01-04' }), coded('PAST_DATE'));
    assert.throws(() => tedSchedule(now, { requestedDate: '2026-1-9' }), coded('BAD_DATE'));
  });

  it('configurable cut-off and calendar; bad windows refused', () => {
    const w: TedWindow = { opens: '08:00', cutoff: '15:30' };
    assert.deepEqual(tedSchedule(at('2026-01-05T18:29:00Z'), { window: w }), { kind: 'NOW' });
    assert.equal(tedSchedule(at('2026-01-05T18:30:00Z'), { window: w }).kind, 'SCHEDULED');
    const cal = createBusinessCalendar({ bankOnlyDays: ['2026-01-06'] });
    assert.deepEqual(tedSchedule(at('2026-01-05T21:00:00Z'), { calendar: cal }), { kind: 'SCHEDULED', at: at('2026-01-07T09:30:00Z'), date: '2026-01-07' });
    assert.throws(() => tedSchedule(at('2026-01-05T13:00:00Z'), { window: { opens: '17:00', cutoff: '06:30' } }), coded('BAD_WINDOW'));
    assert.throws(() => tedSchedule(at('2026-01-05T13:00:00Z'), { window: { opens: '6:30', cutoff: '17:00' } }), coded('BAD_TIME'));
    assert.throws(() => tedSchedule(new Date(NaN)), coded('BAD_DATE'));
  });

  it('property: NOW exactly when inside a window; a scheduled time is inside a window, not earlier than requested, and the first such opening', () => {
    fc.assert(fc.property(instantArb, (t) => {
      const s = tedSchedule(t);
      if (s.kind === 'NOW') {
        assert.ok(isInsideTedWindow(t));
        return;
      }
      assert.equal(isInsideTedWindow(t), false);
      assert.ok(isInsideTedWindow(s.at));
      assert.ok(s.at.getTime() > t.getTime());
      assert.equal(localDateOf(s.at), s.date);
      assert.ok(isBusinessDay(s.date));
      // no window opens strictly between the request and the scheduled time
      for (let d = localDateOf(t); d < s.date; d = localDateOf(new Date(instantAt(d, 0).getTime() + 86_400_000))) {
        const opening = instantAt(d, 390);
        if (opening.getTime() > t.getTime()) assert.equal(isBusinessDay(d), false);
      }
    }), { numRuns: 500 });
  });

  it('property: with a requested date the schedule is never before the requested day nor the request', () => {
    fc.assert(fc.property(instantArb, fc.integer({ min: 0, max: 60 }), (t, ahead) => {
      const date = localDateOf(new Date(t.getTime() + ahead * 86_400_000));
      const s = tedSchedule(t, { requestedDate: date });
      if (s.kind === 'NOW') return assert.ok(ahead === 0 && isInsideTedWindow(t));
      assert.ok(s.date >= date && s.at.getTime() > t.getTime() && isInsideTedWindow(s.at));
    }), { numRuns: 300 });
  });

  it('a due scheduled TED goes while its window is open, else waits for the next opening', () => {
    const opening = at('2026-01-05T09:30:00Z'); // Mon 06:30
    assert.equal(tedReleaseAt(opening, at('2026-01-05T09:30:02Z')), null); // a moment late
    assert.equal(tedReleaseAt(opening, at('2026-01-05T19:59:59Z')), null); // Mon 16:59:59
    // The processor was away past the cut-off: not tonight, Tuesday's opening.
    assert.deepEqual(tedReleaseAt(opening, at('2026-01-05T20:10:00Z')), at('2026-01-06T09:30:00Z'));
    // Inside another window it goes, whatever it was scheduled for.
    assert.equal(tedReleaseAt(at('2026-01-01T09:30:00Z'), at('2026-01-06T13:00:00Z')), null);
    // Released on a Saturday long after its time: Monday's opening.
    assert.deepEqual(tedReleaseAt(opening, at('2026-01-10T15:00:00Z')), at('2026-01-12T09:30:00Z'));
  });
  it('property: a released TED is inside a window or within its own window; else the next opening, later than now', () => {
    fc.assert(fc.property(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), fc.integer({ min: 0, max: 5 * 24 * 60 }), (ms, lateMinutes) => {
      const scheduled = tedSchedule(new Date(ms));
      if (scheduled.kind === 'NOW') return;
      const now = new Date(scheduled.at.getTime() + lateMinutes * 60_000);
      const release = tedReleaseAt(scheduled.at, now);
      if (release === null) return assert.ok(isInsideTedWindow(now) || lateMinutes < (17 * 60 - 6 * 60 - 30));
      assert.ok(release.getTime() > now.getTime() && isInsideTedWindow(release) && !isInsideTedWindow(now));
    }), { numRuns: 300 });
  });
});
