import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseNetworkMessage, type NetworkMessage } from '../../src/domain/iso8583';
import { redactForLog, responseFor } from '../../src/domain/iso8583-response';
import { isLuhnValid, panFromSequence } from '../../src/domain/pan';

const PAN = panFromSequence('400000', 987654n);
const ELEMENTS = {
  '2': PAN, '3': '000000', '4': '000000005000', '7': '1205231700', '11': '000777', '14': '3012', '18': '5812',
  '22': '812', '37': '634099999999', '41': 'TERM0001', '42': 'MERCHANT000001', '49': '840', '126': '321',
};
function parse(json: unknown): NetworkMessage {
  const result = parseNetworkMessage(json);
  if (!result.ok) throw new Error(`${result.responseCode} ${result.field}`);
  return result.message;
}

describe('responseFor', () => {
  it('answers a 0100 with a 0110 echoing the matching elements, never the PAN, expiry or CVV2', () => {
    const response = responseFor(parse({ mti: '0100', elements: ELEMENTS }), { code: '00', approvalCode: 'AB12CD' });
    assert.deepEqual(response, {
      mti: '0110',
      elements: { '3': '000000', '4': '000000005000', '7': '1205231700', '11': '000777', '37': '634099999999', '41': 'TERM0001', '42': 'MERCHANT000001', '49': '840', '38': 'AB12CD', '39': '00' },
    });
    const back = parse(response);
    assert.equal(back.responseCode, '00');
    assert.equal(back.stan, '000777');
    assert.equal(back.amount, 5000n);
  });

  it('declines, reversals, advices and clearing', () => {
    assert.equal(responseFor(parse({ mti: '0100', elements: ELEMENTS }), { code: '51' }).elements['39'], '51');
    const { '14': _e, '18': _m, '22': _p, '126': _c, ...rest } = ELEMENTS;
    const reversal = parse({ mti: '0400', elements: { ...rest, '90': '01000007771205231700' } });
    assert.equal(responseFor(reversal, { code: '00' }).mti, '0410');
    const { '126': _cvv, ...noCvv } = ELEMENTS;
    assert.equal(responseFor(parse({ mti: '0120', elements: { ...noCvv, '39': '00', '38': 'AB12CD' } }), { code: '00' }).mti, '0130');
    assert.equal(responseFor(parse({ mti: '0220', elements: noCvv }), { code: '00' }).mti, '0230');
  });

  it('refuses to answer a response or to send malformed codes', () => {
    const request = parse({ mti: '0100', elements: ELEMENTS });
    assert.throws(() => responseFor(parse(responseFor(request, { code: '05' })), { code: '00' }), TypeError);
    assert.throws(() => responseFor(request, { code: '0' }), RangeError);
    assert.throws(() => responseFor(request, { code: '00', approvalCode: '1' }), RangeError);
    assert.throws(() => responseFor(request, { code: '00' }), RangeError);
  });

  it('every response to a well-formed request parses and holds no PAN', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n - 1n }), fc.constantFrom('00', '05', '51', '57', '61', 'N7'), (seq, code) => {
        const pan = panFromSequence('400000', seq);
        const response = responseFor(parse({ mti: '0100', elements: { ...ELEMENTS, '2': pan } }), { code, approvalCode: 'X1Y2Z3' });
        assert.ok(parseNetworkMessage(response).ok);
        assert.ok(!JSON.stringify(response).includes(pan));
      }),
    );
  });
});

describe('redactForLog', () => {
  it('masks the PAN and hides expiry and CVV2', () => {
    assert.deepEqual(redactForLog({ mti: '0100', elements: ELEMENTS }), {
      mti: '0100',
      elements: { ...ELEMENTS, '2': `${PAN.slice(0, 6)}******${PAN.slice(-4)}`, '14': '***', '126': '***' },
    });
  });

  it('never leaves a full PAN in anything it returns', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n - 1n }), fc.anything(), (seq, noise) => {
        const pan = panFromSequence('400000', seq);
        const text = JSON.stringify(redactForLog({ mti: '0100', elements: { '2': pan, x: noise }, extra: pan }), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
        assert.ok(!text.includes(pan));
        assert.ok(isLuhnValid(pan));
      }),
    );
    assert.equal(redactForLog('4111111111111111'), '[string]');
  });
});
