import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { approvalCodeFor, holdSeconds, isFinalCapture, merchantCountry, merchantName, networkKey, secondsUntil } from '../../src/domain/network-fields';
import { refusalFor } from '../../src/domain/network-refusal';
import { precheckAuthorization } from '../../src/domain/authorization-checks';
import { deriveCvv } from '../../src/domain/cvv';
import { parseNetworkMessage } from '../../src/domain/iso8583';

describe('network fields', () => {
  it('the network key names card, MTI, RRN, STAN and amount', () => {
    assert.equal(networkKey('c1', { mti: '0220', rrn: 'ABC123456789', stan: '000001', amount: 1500n }), 'c1:0220:ABC123456789:000001:1500');
  });

  it('approval codes are 6 upper-case alphanumerics, stable per authorisation', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        assert.match(approvalCodeFor(id), /^[0-9A-F]{6}$/);
        assert.equal(approvalCodeFor(id), approvalCodeFor(id));
      }),
    );
  });

  it('merchant country and name from DE43; XX when the country is not two letters', () => {
    assert.equal(merchantCountry('GROCERY STORE            SAO PAULO    BR'), 'BR');
    assert.equal(merchantName('GROCERY STORE            SAO PAULO    BR'), 'GROCERY STORE');
    assert.equal(merchantCountry(undefined), 'XX');
    assert.equal(merchantCountry('shop 12'), 'XX');
    assert.equal(merchantName(undefined), null);
  });

  it('finality, hold seconds and the time left', () => {
    assert.equal(isFinalCapture(100n, 60n, 40n), true);
    assert.equal(isFinalCapture(100n, 60n, 39n), false);
    assert.equal(holdSeconds(7), 604_800);
    assert.equal(holdSeconds(0), 1);
    assert.equal(secondsUntil(new Date(10_500), new Date(0)), 11);
    assert.equal(secondsUntil(new Date(0), new Date(10_000)), 1);
  });

  it('a refusal answers the response MTI with DE39 and only well-formed echo elements, never the PAN', () => {
    assert.deepEqual(refusalFor(null, '30'), { mti: '0110', elements: { '39': '30' } });
    const r = refusalFor({ mti: '0220', elements: { '2': '4000000000000002', '11': '000123', '37': { x: 1 }, '14': '3012' } }, '14');
    assert.deepEqual(r, { mti: '0230', elements: { '11': '000123', '39': '14' } });
  });

  it('prechecks: state, expiry (card and DE14), CVV2, currency, in that order', () => {
    const key = new Uint8Array(32).fill(7);
    const pan = '4000000000000002';
    const card = { state: 'ACTIVE', closeReason: null, expiry: '3012', currency: 'BRL' };
    const elements = { '2': pan, '3': '000000', '4': '000000001000', '7': '1206120000', '11': '000001', '14': '3012', '18': '5411', '22': '812', '37': 'ABCDEF123456', '42': 'M1', '49': '986' };
    const message = (over: Record<string, string> = {}) => {
      const parsed = parseNetworkMessage({ mti: '0100', elements: { ...elements, ...over } });
      assert.ok(parsed.ok);
      return parsed.message;
    };
    const now = new Date('2026-12-06T00:00:00Z');
    assert.equal(precheckAuthorization(card, message({ '126': deriveCvv(key, pan, '3012') }), now, key), null);
    assert.equal(precheckAuthorization({ ...card, state: 'CLOSED', closeReason: 'STOLEN' }, message(), now, key), 'STOLEN_CARD');
    assert.equal(precheckAuthorization({ ...card, expiry: '2611' }, message({ '14': '2611' }), now, key), 'EXPIRED_CARD');
    assert.equal(precheckAuthorization(card, message({ '14': '3011' }), now, key), 'EXPIRED_CARD');
    const wrong = deriveCvv(key, pan, '3012') === '000' ? '001' : '000';
    assert.equal(precheckAuthorization(card, message({ '126': wrong }), now, key), 'BAD_CVV');
    assert.equal(precheckAuthorization(card, message({ '49': '840' }), now, key), 'INVALID_AMOUNT');
    assert.equal(precheckAuthorization(card, message({ '4': '000000000000' }), now, key), 'INVALID_AMOUNT');
  });
});
