import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseNetworkMessage, toNetworkJson, type NetworkMessage, type NetworkMessageJson } from '../../src/domain/iso8583';
import { panFromSequence } from '../../src/domain/pan';

const PAN = panFromSequence('400000', 123n);
const request = (overrides: Record<string, string | undefined> = {}, mti = '0100'): NetworkMessageJson => {
  const elements: Record<string, string> = {
    '2': PAN, '3': '000000', '4': '000000001999', '7': '1205231700', '11': '000042', '14': '3012', '18': '5411',
    '22': '051', '37': '634012345678', '42': 'MERCHANT000001', '43': 'PADARIA CENTRAL SAO PAULO BR', '49': '986', '126': '123',
  };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete elements[k]; else elements[k] = v;
  return { mti, elements };
};
const parsed = (json: unknown): NetworkMessage => {
  const result = parseNetworkMessage(json);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result));
  return result.message;
};
const refusal = (json: unknown) => {
  const result = parseNetworkMessage(json);
  assert.equal(result.ok, false);
  return result.ok ? null : { code: result.responseCode, field: result.field };
};

const d2 = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
const dateTimeArb = fc.tuple(d2(1, 12), d2(1, 28), d2(0, 23), d2(0, 59), d2(0, 59)).map((p) => p.join(''));
const requestArb: fc.Arbitrary<NetworkMessageJson> = fc
  .record({
    pan: fc.bigInt({ min: 0n, max: 10n ** 9n - 1n }).map((s) => panFromSequence('400000', s)),
    type: fc.constantFrom('00', '01', '20'),
    amount: fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }).map((a) => a.toString().padStart(12, '0')),
    dt: dateTimeArb,
    stan: fc.stringMatching(/^\d{6}$/),
    expiry: fc.tuple(d2(0, 99), d2(1, 12)).map((p) => p.join('')),
    mcc: fc.stringMatching(/^\d{4}$/),
    entry: fc.constantFrom('010', '100', '812', '021', '901', '051', '071', '911'),
    rrn: fc.stringMatching(/^[0-9A-Z]{12}$/),
    merchant: fc.stringMatching(/^[A-Z0-9 ]{1,15}$/),
    currency: fc.constantFrom('986', '840', '978', '392', '048'),
    cvv: fc.option(fc.stringMatching(/^\d{3}$/), { nil: undefined }),
    terminal: fc.option(fc.stringMatching(/^[A-Z0-9]{8}$/), { nil: undefined }),
  })
  .map((r) => {
    const elements: Record<string, string> = {
      '2': r.pan, '3': `${r.type}0000`, '4': r.amount, '7': r.dt, '11': r.stan, '14': r.expiry, '18': r.mcc,
      '22': r.entry, '37': r.rrn, '42': r.merchant, '49': r.currency,
    };
    if (r.cvv !== undefined) elements['126'] = r.cvv;
    if (r.terminal !== undefined) elements['41'] = r.terminal;
    return { mti: '0100', elements };
  });

describe('parseNetworkMessage', () => {
  it('reads an authorisation request', () => {
    const m = parsed(request());
    assert.equal(m.mti, '0100');
    assert.equal(m.pan, PAN);
    assert.equal(m.amount, 1999n);
    assert.equal(m.currency, 'BRL');
    assert.equal(m.transactionType, 'PURCHASE');
    assert.equal(m.channel, 'CHIP');
    assert.equal(m.mcc, '5411');
    assert.equal(m.stan, '000042');
    assert.equal(m.transmittedAt, '1205231700');
    assert.equal(m.rrn, '634012345678');
    assert.equal(m.expiry, '3012');
    assert.equal(m.cvv2, '123');
    assert.equal(m.merchantNameLocation, 'PADARIA CENTRAL SAO PAULO BR');
  });

  it('channels: ATM for cash whatever the entry mode, else from DE22', () => {
    assert.equal(parsed(request({ '3': '010000' })).channel, 'ATM');
    assert.equal(parsed(request({ '22': '812' })).channel, 'ONLINE');
    assert.equal(parsed(request({ '22': '071' })).channel, 'CONTACTLESS');
    assert.equal(parsed(request({ '22': '901' })).channel, 'MAGSTRIPE');
    assert.equal(parsed(request({ '3': '200000' })).transactionType, 'REFUND');
  });

  it('DE48 carries a 3-D Secure challenge id in an 0100 only', () => {
    const id = '0b0f8a52-5c1e-4b8e-9d1a-2f6f3f1c2a10';
    assert.equal(parsed(request({ '48': id })).challengeId, id);
    assert.equal(parsed(request()).challengeId, undefined);
    assert.deepEqual(refusal(request({ '48': id.toUpperCase() })), { code: '30', field: '48' });
    assert.deepEqual(refusal(request({ '48': 'not-a-uuid' })), { code: '30', field: '48' });
    assert.deepEqual(refusal(request({ '126': undefined, '48': id }, '0220')), { code: '30', field: '48' });
  });

  it('DE123 carries a wallet token reference in an 0100 (and an 0120 advice) only', () => {
    const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    assert.equal(parsed(request({ '123': id })).tokenId, id);
    assert.equal(parsed(request()).tokenId, undefined);
    assert.deepEqual(refusal(request({ '123': id.toUpperCase() })), { code: '30', field: '123' });
    assert.deepEqual(refusal(request({ '123': 'token' })), { code: '30', field: '123' });
    assert.deepEqual(refusal(request({ '126': undefined, '123': id }, '0220')), { code: '30', field: '123' });
  });

  it('reversals, advices and clearing', () => {
    const reversal = parsed(request({ '14': undefined, '18': undefined, '22': undefined, '42': undefined, '43': undefined, '126': undefined, '90': '01000000421205231700' }, '0400'));
    assert.deepEqual(reversal.original, { mti: '0100', stan: '000042', transmittedAt: '1205231700' });
    assert.deepEqual(refusal(request({ '90': undefined }, '0400')), { code: '30', field: '126' });
    assert.deepEqual(refusal(request({ '126': undefined }, '0400')), { code: '30', field: '90' });
    const advice = parsed(request({ '126': undefined, '39': '00', '38': 'A1B2C3' }, '0120'));
    assert.equal(advice.responseCode, '00');
    assert.equal(advice.approvalCode, 'A1B2C3');
    assert.deepEqual(refusal(request({ '126': undefined }, '0120')), { code: '30', field: '39' });
    const clearing = parsed(request({ '126': undefined, '14': undefined, '38': 'A1B2C3' }, '0220'));
    assert.equal(clearing.mti, '0220');
  });

  it('refuses every malformed element with the code to answer', () => {
    const cases: [Record<string, string | undefined>, string, string][] = [
      [{ '2': '4000001231231235' }, '14', '2'],
      [{ '2': '4000' }, '14', '2'],
      [{ '2': undefined }, '30', '2'],
      [{ '3': '00000' }, '30', '3'],
      [{ '3': '990000' }, '12', '3'],
      [{ '4': '1999' }, '13', '4'],
      [{ '4': '-00000001999' }, '13', '4'],
      [{ '7': '1305231700' }, '30', '7'],
      [{ '7': '1205241700' }, '30', '7'],
      [{ '11': '42' }, '30', '11'],
      [{ '12': '246000' }, '30', '12'],
      [{ '13': '1301' }, '30', '13'],
      [{ '14': '3013' }, '30', '14'],
      [{ '14': undefined }, '30', '14'],
      [{ '18': '541' }, '30', '18'],
      [{ '22': '999' }, '30', '22'],
      [{ '37': 'SHORT' }, '30', '37'],
      [{ '41': 'TOOLONGTERMINAL' }, '30', '41'],
      [{ '42': '' }, '30', '42'],
      [{ '43': 'x'.repeat(41) }, '30', '43'],
      [{ '49': '98' }, '30', '49'],
      [{ '49': '999' }, '13', '49'],
      [{ '126': '12' }, '30', '126'],
      [{ '39': '00' }, '30', '39'],
      [{ '35': '1' }, '30', 'elements'],
      [{ '90': '01000000421205231700' }, '30', '90'],
    ];
    for (const [overrides, code, field] of cases) assert.deepEqual(refusal(request(overrides)), { code, field }, JSON.stringify(overrides));
  });

  it('refuses bad structure', () => {
    assert.deepEqual(refusal(null), { code: '30', field: 'message' });
    assert.deepEqual(refusal('0100'), { code: '30', field: 'message' });
    assert.deepEqual(refusal({ elements: {} }), { code: '30', field: 'mti' });
    assert.deepEqual(refusal({ mti: '0200', elements: {} }), { code: '30', field: 'mti' });
    assert.deepEqual(refusal({ mti: '0100' }), { code: '30', field: 'elements' });
    assert.deepEqual(refusal({ mti: '0100', elements: [] }), { code: '30', field: 'elements' });
    assert.deepEqual(refusal({ mti: '0100', elements: { ...request().elements, '4': 1999 } }), { code: '13', field: '4' });
  });

  it('a response never carries the PAN', () => {
    const response = { mti: '0110', elements: { '3': '000000', '4': '000000001999', '7': '1205231700', '11': '000042', '37': '634012345678', '39': '00', '49': '986' } };
    assert.equal(parsed(response).mti, '0110');
    assert.deepEqual(refusal({ ...response, elements: { ...response.elements, '2': PAN } }), { code: '30', field: '2' });
  });

  it('refusals never echo the value', () => {
    const result = parseNetworkMessage(request({ '2': '4000001231231235' }));
    assert.ok(!result.ok && !JSON.stringify(result).includes('4000001231231235'));
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => typeof parseNetworkMessage(json).ok === 'boolean'));
    const elementsArb = fc.dictionary(fc.constantFrom('2', '3', '4', '7', '11', '14', '22', '49', '90', '126', '__proto__', 'x'), fc.oneof(fc.string(), fc.integer(), fc.constant(null)));
    fc.assert(fc.property(fc.constantFrom('0100', '0110', '0120', '0220', '0400', '0410'), elementsArb, (mti, elements) => {
      assert.equal(typeof parseNetworkMessage({ mti, elements }).ok, 'boolean');
    }));
  });

  it('every well-formed generated request round-trips', () => {
    fc.assert(
      fc.property(requestArb, (json) => {
        const m = parsed(json);
        assert.deepEqual(toNetworkJson(m), json);
        assert.equal(m.pan, json.elements['2']);
        assert.equal(m.amount, BigInt(json.elements['4']!));
        assert.deepEqual(parsed(toNetworkJson(m)), m);
      }),
    );
  });
});
