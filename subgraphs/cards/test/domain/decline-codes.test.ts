import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RESPONSE_CODES, isApprovalCode, reasonForCode, responseCodeFor, type ResponseReason } from '../../src/domain/decline-codes';

describe('decline codes', () => {
  it('the ISO 8583 DE39 codes the networks use', () => {
    const expected: Record<ResponseReason, string> = {
      APPROVED: '00', DO_NOT_HONOUR: '05', INVALID_TRANSACTION: '12', INVALID_AMOUNT: '13', INVALID_CARD_NUMBER: '14',
      FORMAT_ERROR: '30', LOST_CARD: '41', STOLEN_CARD: '43', INSUFFICIENT_FUNDS: '51', EXPIRED_CARD: '54',
      TRANSACTION_NOT_PERMITTED: '57', SUSPECTED_FRAUD: '59', EXCEEDS_AMOUNT_LIMIT: '61', RESTRICTED_CARD: '62',
      EXCEEDS_FREQUENCY: '65', CARD_NOT_ACTIVE: '78', BAD_CVV: 'N7', AUTHENTICATION_REQUIRED: '1A', ISSUER_UNAVAILABLE: '91', SYSTEM_ERROR: '96',
    };
    for (const [reason, code] of Object.entries(expected) as [ResponseReason, string][]) {
      assert.equal(responseCodeFor(reason), code);
      assert.equal(reasonForCode(code), reason);
      assert.ok(RESPONSE_CODES[reason].text.length > 0);
    }
    assert.equal(Object.keys(RESPONSE_CODES).length, Object.keys(expected).length);
  });

  it('codes are unique two-character alphanumerics', () => {
    const codes = Object.values(RESPONSE_CODES).map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^[0-9A-Z]{2}$/);
  });

  it('aliases and unknown codes', () => {
    assert.equal(reasonForCode('82'), 'BAD_CVV');
    assert.equal(isApprovalCode('00'), true);
    assert.equal(isApprovalCode('10'), true);
    assert.equal(isApprovalCode('05'), false);
    assert.equal(reasonForCode('ZZ'), undefined);
    assert.equal(reasonForCode('constructor'), undefined);
    assert.equal(reasonForCode('toString'), undefined);
  });
});
