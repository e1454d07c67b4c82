import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseNetworkMessage } from '../../src/domain/iso8583';
import { nameLocation, simulatedMessage, transmissionTime, type SimulatedTransactionType } from '../../src/domain/network-simulator';
import { merchantCountry, merchantName } from '../../src/domain/network-fields';
import { panFromSequence } from '../../src/domain/pan';
import { CHANNELS } from '../../src/domain/spend-controls';

const TYPES: SimulatedTransactionType[] = ['AUTHORIZATION', 'INCREMENT', 'CAPTURE', 'REVERSAL', 'REFUND', 'FORCE_POST'];

describe('the network simulator builds messages the parser accepts', () => {
  it('every type, channel, amount and merchant parses, with the amount, currency, RRN, STAN, MCC and merchant country it was built with', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.constantFrom(...CHANNELS),
        fc.bigInt({ min: 1n, max: 999_999_999_999n }),
        fc.constantFrom('BRL', 'USD', 'EUR'),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('BR', 'US', 'DE'),
        fc.bigInt({ min: 1n, max: 9_999_999n }),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }),
        (type, channel, amount, currency, merchant, country, seq, at) => {
          const pan = panFromSequence('99999901', seq);
          const json = simulatedMessage({ type, pan, expiry: '3012', cvv: '123', amount, currency, mcc: '5411', merchant, country, channel, rrn: 'ABC123DEF456', stan: '000042', original: { stan: '000041', transmittedAt: transmissionTime(at) }, at });
          const parsed = parseNetworkMessage(json);
          if (!parsed.ok) assert.fail(`${parsed.field}: ${parsed.reason}`);
          const m = parsed.message;
          assert.deepEqual([m.amount, m.currency, m.rrn, m.stan, m.pan], [amount, currency, 'ABC123DEF456', '000042', pan]);
          if (m.mti !== '0400') {
            assert.equal(m.mcc, '5411');
            assert.equal(merchantCountry(m.merchantNameLocation), country);
          }
          if (type === 'REFUND') assert.equal(m.transactionType, 'REFUND');
          if (type === 'REVERSAL') assert.equal(m.original?.stan, '000041');
        },
      ),
    );
  });

  it('the merchant field is 40 printable characters: name 25, city 13, country 2', () => {
    const field = nameLocation('Padaria São João do Centro Histórico', 'br');
    assert.equal(field.length, 40);
    assert.match(field, /^[\x20-\x7e]{40}$/);
    assert.equal(merchantName(field), 'Padaria S o Jo o do Centr');
    assert.equal(merchantCountry(field), 'BR');
  });
});
