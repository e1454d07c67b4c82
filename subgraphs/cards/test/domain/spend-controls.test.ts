import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AMOUNT_CONTROLS,
  CHANNELS,
  checkSpend,
  effectiveControls,
  withinBounds,
  type SpendAttempt,
  type SpendControls,
} from '../../src/domain/spend-controls';

const amountArb = fc.bigInt({ min: 0n, max: 1_000_000n });
const mccArb = fc.constantFrom('5411', '5812', '6011', '7995', '4829', '5999');
const countryArb = fc.constantFrom('BR', 'US', 'GB', 'AR', 'KP');
const listArb = <T>(arb: fc.Arbitrary<T>) => fc.uniqueArray(arb, { minLength: 1, maxLength: 4 });
const controlsArb: fc.Arbitrary<SpendControls> = fc.record(
  {
    perTransaction: amountArb,
    perDay: amountArb,
    perMonth: amountArb,
    lifetime: amountArb,
    mccAllow: listArb(mccArb),
    mccBlock: fc.uniqueArray(mccArb, { maxLength: 3 }),
    countriesAllow: listArb(countryArb),
    countriesBlock: fc.uniqueArray(countryArb, { maxLength: 3 }),
    channels: listArb(fc.constantFrom(...CHANNELS)),
  },
  { requiredKeys: [] },
);
const attemptArb: fc.Arbitrary<SpendAttempt> = fc.record({
  amount: amountArb,
  mcc: mccArb,
  country: countryArb,
  channel: fc.constantFrom(...CHANNELS),
});
const usageArb = fc.record({ day: amountArb, month: amountArb, lifetime: amountArb });
const base: SpendAttempt = { amount: 1000n, mcc: '5411', country: 'BR', channel: 'ONLINE' };
const none = { day: 0n, month: 0n, lifetime: 0n };

describe('checkSpend', () => {
  it('never approves an amount that would push usage over any limit', () => {
    fc.assert(
      fc.property(controlsArb, attemptArb, usageArb, (controls, auth, usage) => {
        if (!checkSpend(controls, auth, usage).ok) return;
        const { perTransaction, perDay, perMonth, lifetime } = controls;
        assert.ok(perTransaction === undefined || auth.amount <= perTransaction);
        assert.ok(perDay === undefined || usage.day + auth.amount <= perDay);
        assert.ok(perMonth === undefined || usage.month + auth.amount <= perMonth);
        assert.ok(lifetime === undefined || usage.lifetime + auth.amount <= lifetime);
        assert.ok(controls.channels === undefined || controls.channels.includes(auth.channel));
        assert.ok(!controls.mccBlock?.includes(auth.mcc));
        assert.ok(!controls.countriesBlock?.includes(auth.country));
      }),
    );
  });

  it('approves anything under no controls, and exactly up to a limit', () => {
    assert.deepEqual(checkSpend({}, base, none), { ok: true });
    assert.deepEqual(checkSpend({ perDay: 5000n }, base, { ...none, day: 4000n }), { ok: true });
    assert.deepEqual(checkSpend({ perDay: 5000n }, base, { ...none, day: 4001n }), { ok: false, decline: 'EXCEEDS_AMOUNT_LIMIT', control: 'perDay' });
  });

  it('checks in order: channel, MCC, country, per transaction, day, month, lifetime', () => {
    const strict: SpendControls = { channels: ['CHIP'], mccBlock: ['5411'], countriesAllow: ['US'], perTransaction: 1n, perDay: 1n, perMonth: 1n, lifetime: 1n };
    const used = { day: 10n, month: 10n, lifetime: 10n };
    const controls = { ...strict } as Record<string, unknown>;
    for (const control of ['channel', 'mcc', 'country', 'perTransaction', 'perDay', 'perMonth', 'lifetime']) {
      const result = checkSpend(controls as SpendControls, base, used);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.control, control);
      if (control === 'channel') delete controls.channels;
      else if (control === 'mcc') delete controls.mccBlock;
      else if (control === 'country') delete controls.countriesAllow;
      else delete controls[control];
    }
    assert.deepEqual(checkSpend(controls as SpendControls, base, used), { ok: true });
  });

  it('declines with the network reasons', () => {
    assert.deepEqual(checkSpend({ mccAllow: ['5812'] }, base, none), { ok: false, decline: 'TRANSACTION_NOT_PERMITTED', control: 'mcc' });
    assert.deepEqual(checkSpend({ countriesBlock: ['BR'] }, base, none), { ok: false, decline: 'TRANSACTION_NOT_PERMITTED', control: 'country' });
    assert.deepEqual(checkSpend({ perTransaction: 999n }, base, none), { ok: false, decline: 'EXCEEDS_AMOUNT_LIMIT', control: 'perTransaction' });
    assert.deepEqual(checkSpend({ lifetime: 1000n }, base, { ...none, lifetime: 1n }), { ok: false, decline: 'EXCEEDS_AMOUNT_LIMIT', control: 'lifetime' });
    assert.deepEqual(checkSpend({}, { ...base, amount: -1n }, none), { ok: false, decline: 'INVALID_AMOUNT', control: 'amount' });
  });
});

describe('effectiveControls', () => {
  it('is at least as strict as each party: whatever it approves, both approve', () => {
    fc.assert(
      fc.property(controlsArb, controlsArb, attemptArb, usageArb, (tenant, customer, auth, usage) => {
        if (checkSpend(effectiveControls(tenant, customer), auth, usage).ok) {
          assert.ok(checkSpend(tenant, auth, usage).ok);
          assert.ok(checkSpend(customer, auth, usage).ok);
        }
      }),
    );
  });

  it('is no stricter than both parties together: what both approve, it approves', () => {
    fc.assert(
      fc.property(controlsArb, controlsArb, attemptArb, usageArb, (tenant, customer, auth, usage) => {
        if (checkSpend(tenant, auth, usage).ok && checkSpend(customer, auth, usage).ok) {
          assert.ok(checkSpend(effectiveControls(tenant, customer), auth, usage).ok);
        }
      }),
    );
  });

  it('lower amounts, intersected allow lists, united block lists', () => {
    const e = effectiveControls(
      { perDay: 100n, mccAllow: ['5411', '5812'], mccBlock: ['7995'], channels: ['ONLINE', 'CHIP'] },
      { perDay: 50n, perMonth: 500n, mccAllow: ['5812', '6011'], mccBlock: ['4829'] },
    );
    assert.deepEqual(e, { perDay: 50n, perMonth: 500n, mccAllow: ['5812'], mccBlock: ['7995', '4829'], channels: ['ONLINE', 'CHIP'] });
  });
});

describe('withinBounds', () => {
  it('a customer may tighten', () => {
    const tenant: SpendControls = { perDay: 100n, mccAllow: ['5411', '5812'], mccBlock: ['7995'], channels: ['ONLINE', 'CHIP'] };
    assert.deepEqual(withinBounds({ perDay: 100n, perMonth: 1n, mccAllow: ['5411'], mccBlock: ['5812', '6011'], channels: ['CHIP'] }, tenant), []);
    assert.deepEqual(withinBounds({}, tenant), []);
  });

  it('a customer may not loosen', () => {
    const tenant: SpendControls = { perDay: 100n, mccBlock: ['7995'], countriesAllow: ['BR'], channels: ['ONLINE'] };
    assert.deepEqual(withinBounds({ perDay: 101n, mccAllow: ['7995', '5411'], countriesAllow: ['BR', 'US'], channels: ['ATM'] }, tenant), [
      { field: 'perDay', reason: 'ABOVE_TENANT_LIMIT' },
      { field: 'mccAllow', reason: 'BLOCKED_BY_TENANT', values: ['7995'] },
      { field: 'countriesAllow', reason: 'NOT_ALLOWED_BY_TENANT', values: ['US'] },
      { field: 'channels', reason: 'NOT_ALLOWED_BY_TENANT', values: ['ATM'] },
    ]);
  });

  it('no refusal exactly when every customer amount, allowed entry and channel stays inside the tenant', () => {
    fc.assert(
      fc.property(controlsArb, controlsArb, (tenant, customer) => {
        const inside =
          AMOUNT_CONTROLS.every((f) => customer[f] === undefined || tenant[f] === undefined || customer[f]! <= tenant[f]!) &&
          (customer.mccAllow ?? []).every((m) => (tenant.mccAllow ?? [m]).includes(m) && !tenant.mccBlock?.includes(m)) &&
          (customer.countriesAllow ?? []).every((c) => (tenant.countriesAllow ?? [c]).includes(c) && !tenant.countriesBlock?.includes(c)) &&
          (customer.channels ?? []).every((c) => (tenant.channels ?? [c]).includes(c));
        assert.equal(withinBounds(customer, tenant).length === 0, inside);
      }),
    );
  });
});
