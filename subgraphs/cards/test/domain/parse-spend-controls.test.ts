import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatSpendControls, parseSpendControls } from '../../src/domain/parse-spend-controls';

const refusal = (input: unknown) => {
  const result = parseSpendControls(input);
  assert.equal(result.ok, false);
  return result.ok ? null : { field: result.field, reason: result.reason, code: result.code };
};

describe('parseSpendControls', () => {
  it('reads amounts as decimal strings of minor units and normalises lists', () => {
    const result = parseSpendControls({
      perTransaction: '5000',
      perDay: 10000n,
      perMonth: null,
      mccAllow: ['5411', '5411', '5812'],
      mccBlock: [],
      countriesBlock: ['KP'],
      channels: ['ONLINE', 'CHIP'],
    });
    assert.deepEqual(result, {
      ok: true,
      controls: { perTransaction: 5000n, perDay: 10000n, mccAllow: ['5411', '5812'], mccBlock: [], countriesBlock: ['KP'], channels: ['ONLINE', 'CHIP'] },
    });
    assert.deepEqual(parseSpendControls({}), { ok: true, controls: {} });
  });

  it('refuses bad input with the field and a stable reason', () => {
    assert.deepEqual(refusal(null), { field: 'controls', reason: 'NOT_AN_OBJECT', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal([]), { field: 'controls', reason: 'NOT_AN_OBJECT', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal({ perWeek: '1' }), { field: 'perWeek', reason: 'UNKNOWN_FIELD', code: 'BAD_USER_INPUT' });
    for (const bad of ['-1', '1.5', '1e3', '', ' 1', 12, -1n, '0x10']) {
      assert.deepEqual(refusal({ perDay: bad }), { field: 'perDay', reason: 'NOT_A_NON_NEGATIVE_INTEGER', code: 'BAD_USER_INPUT' });
    }
    assert.deepEqual(refusal({ lifetime: '9999999999999999999' }), { field: 'lifetime', reason: 'AMOUNT_TOO_LARGE', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal({ mccBlock: '5411' }), { field: 'mccBlock', reason: 'NOT_A_LIST', code: 'BAD_USER_INPUT' });
    for (const bad of ['541', '54111', 'abcd', 5411]) {
      assert.deepEqual(refusal({ mccBlock: [bad] }), { field: 'mccBlock', reason: 'MALFORMED_MCC', code: 'BAD_USER_INPUT' });
    }
    for (const bad of ['br', 'BRA', '076', 'B']) {
      assert.deepEqual(refusal({ countriesAllow: [bad] }), { field: 'countriesAllow', reason: 'MALFORMED_COUNTRY', code: 'BAD_USER_INPUT' });
    }
    assert.deepEqual(refusal({ channels: ['PHONE'] }), { field: 'channels', reason: 'UNKNOWN_CHANNEL', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal({ mccAllow: [] }), { field: 'mccAllow', reason: 'EMPTY_ALLOW_LIST', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal({ channels: [] }), { field: 'channels', reason: 'EMPTY_ALLOW_LIST', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal({ mccBlock: Array(1001).fill('5411') }), { field: 'mccBlock', reason: 'TOO_MANY_ENTRIES', code: 'BAD_USER_INPUT' });
  });

  it('refuses an MCC or country both allowed and blocked', () => {
    assert.deepEqual(refusal({ mccAllow: ['5411', '7995'], mccBlock: ['7995'] }), { field: 'mccAllow', reason: 'ALLOWED_AND_BLOCKED', code: 'BAD_USER_INPUT' });
    assert.deepEqual(refusal({ countriesAllow: ['BR'], countriesBlock: ['BR'] }), { field: 'countriesAllow', reason: 'ALLOWED_AND_BLOCKED', code: 'BAD_USER_INPUT' });
  });

  it('never throws, and what it accepts formats back to itself', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = parseSpendControls(input);
        if (result.ok) assert.deepEqual(parseSpendControls(formatSpendControls(result.controls)), result);
      }),
    );
    fc.assert(
      fc.property(
        fc.record(
          { perDay: fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String), mccBlock: fc.uniqueArray(fc.stringMatching(/^\d{4}$/), { maxLength: 5 }) },
          { requiredKeys: [] },
        ),
        (input) => {
          const result = parseSpendControls(input);
          assert.equal(result.ok, true);
          if (result.ok) assert.deepEqual(formatSpendControls(result.controls), { ...input });
        },
      ),
    );
  });
});
