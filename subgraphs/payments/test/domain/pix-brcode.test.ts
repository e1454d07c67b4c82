import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cpfCheckDigits } from '@baas/br-documents';
import { isDomainError } from '@baas/errors';
import {
  MAX_BR_CODE_AMOUNT, buildDynamicBrCode, buildStaticBrCode, formatBrCodeAmount, parseBrCode, parseBrCodeAmount, type StaticBrCodeInput,
} from '../../src/domain/pix-brcode';
import { isValidPixKey, newEvpKey } from '../../src/domain/pix-keys';

const refused = (reason: string) => (error: unknown) => isDomainError(error) && error.code === 'BAD_USER_INPUT' && error.details?.reason === reason;

/** Textbook CRC16-CCITT-FALSE (poly 0x1021, init 0xFFFF), bit by bit: an oracle independent of pix-utils' table. */
function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'ascii')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
const crcIsRight = (payload: string) => assert.equal(payload.slice(-4), crc16(payload.slice(0, -4)));

const BCB_EXAMPLE = '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';
const PIX_UTILS_STATIC = '00020126650014br.gov.bcb.pix0119nubank@thalesog.com0220Gerado por Pix-Utils52040000530398654041.005802BR5914Thales Ogliari6015SAO MIGUEL DO O62070503***6304059A';
const PIX_UTILS_DYNAMIC = '00020126540014br.gov.bcb.pix2532https://pix.thalesogliari.com.br5204000053039865802BR5914Thales Ogliari6009SAO PAULO62070503***63043FD3';

describe('BR Code: known vectors', () => {
  it('parses the BCB manual example and the pix-utils examples', () => {
    crcIsRight(BCB_EXAMPLE);
    assert.deepEqual(parseBrCode(BCB_EXAMPLE), {
      kind: 'STATIC', key: '123e4567-e12b-12d1-a456-426655440000', merchantName: 'Fulano de Tal', merchantCity: 'BRASILIA', oneTime: false,
    });
    assert.deepEqual(parseBrCode(PIX_UTILS_STATIC), {
      kind: 'STATIC', key: 'nubank@thalesog.com', amount: 100n, description: 'Gerado por Pix-Utils', merchantName: 'Thales Ogliari', merchantCity: 'SAO MIGUEL DO O', oneTime: false,
    });
    assert.deepEqual(parseBrCode(PIX_UTILS_DYNAMIC), { kind: 'DYNAMIC', location: 'pix.thalesogliari.com.br', merchantName: 'Thales Ogliari', merchantCity: 'SAO PAULO', oneTime: false });
  });

  it('builds a static code with an exact amount field and a right CRC', () => {
    const payload = buildStaticBrCode({ key: 'nubank@thalesog.com', merchantName: 'Thales Ogliari', merchantCity: 'São Miguel do O', amount: 1050n, description: 'Gerado por Pix-Utils', txid: 'PEDIDO42' });
    assert.equal(payload.slice(0, -4), '00020126650014br.gov.bcb.pix0119nubank@thalesog.com0220Gerado por Pix-Utils520400005303986540510.505802BR5914THALES OGLIARI6015SAO MIGUEL DO O62120508PEDIDO426304');
    crcIsRight(payload);
    const noAmount = buildStaticBrCode({ key: '123.456.789-09', merchantName: 'Fulano de Tal', merchantCity: 'Brasília' });
    assert.equal(noAmount, (() => { const b = '00020126330014br.gov.bcb.pix0111123456789095204000053039865802BR5913FULANO DE TAL6008BRASILIA62070503***6304'; return b + crc16(b); })());
  });

  it("a txid ending in '6304' is refused (pix-utils' computeCRC would misread it); others near it are fine", () => {
    for (const amount of [undefined, 1n]) {
      assert.throws(() => buildStaticBrCode({ key: 'a@b.com', merchantName: 'X', merchantCity: 'Y', txid: 'AB6304', amount }), refused('INVALID_TXID'));
      const payload = buildStaticBrCode({ key: 'a@b.com', merchantName: 'X', merchantCity: 'Y', txid: 'AB63040', amount });
      crcIsRight(payload);
      assert.equal(parseBrCode(payload).txid, 'AB63040');
    }
  });

  it('builds a dynamic code (single use by default)', () => {
    const payload = buildDynamicBrCode({ locationUrl: 'https://pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25', merchantName: 'Loja', merchantCity: 'Recife' });
    assert.ok(payload.startsWith('00020101021226'));
    crcIsRight(payload);
    assert.deepEqual(parseBrCode(payload), { kind: 'DYNAMIC', location: 'pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25', merchantName: 'LOJA', merchantCity: 'RECIFE', oneTime: true });
    assert.equal(parseBrCode(buildDynamicBrCode({ locationUrl: 'a.b/c', merchantName: 'X', merchantCity: 'Y', oneTime: false })).oneTime, false);
  });

  it('a wrong CRC is BAD_CRC; broken structure is MALFORMED_BR_CODE', () => {
    assert.throws(() => parseBrCode(BCB_EXAMPLE.slice(0, -1) + 'E'), refused('BAD_CRC'));
    assert.throws(() => parseBrCode(BCB_EXAMPLE.replace('Fulano', 'Fulana')), refused('BAD_CRC'));
    for (const bad of ['', 'hello', BCB_EXAMPLE.slice(0, -8), BCB_EXAMPLE.slice(2), BCB_EXAMPLE + '0', '0002016304ABCD', 'é'.repeat(20)]) {
      assert.throws(() => parseBrCode(bad), refused('MALFORMED_BR_CODE'), bad);
    }
    const usd = '00020126330014br.gov.bcb.pix0111123456789095204000053038405802BR5901X6001Y62070503***6304';
    assert.throws(() => parseBrCode(usd + crc16(usd)), refused('MALFORMED_BR_CODE'));
    const badAmount = '00020126330014br.gov.bcb.pix011112345678909520400005303986540410.1235802BR5901X6001Y62070503***6304';
    assert.throws(() => parseBrCode(badAmount.replace('540410.123', '54061.2345') + crc16(badAmount.replace('540410.123', '54061.2345'))), refused('MALFORMED_BR_CODE'));
  });

  it('refuses bad build input with coded reasons', () => {
    const base = { key: 'a@b.com', merchantName: 'X', merchantCity: 'Y' };
    assert.throws(() => buildStaticBrCode({ ...base, key: 'nope' }), refused('INVALID_PIX_KEY'));
    assert.throws(() => buildStaticBrCode({ ...base, merchantName: 'A'.repeat(26) }), refused('INVALID_BR_CODE_INPUT'));
    assert.throws(() => buildStaticBrCode({ ...base, merchantCity: '' }), refused('INVALID_BR_CODE_INPUT'));
    assert.throws(() => buildStaticBrCode({ ...base, merchantName: '名前' }), refused('INVALID_BR_CODE_INPUT'));
    assert.throws(() => buildStaticBrCode({ ...base, amount: 0n }), refused('INVALID_BR_CODE_INPUT'));
    assert.throws(() => buildStaticBrCode({ ...base, amount: MAX_BR_CODE_AMOUNT + 1n }), refused('INVALID_BR_CODE_INPUT'));
    assert.throws(() => buildStaticBrCode({ ...base, txid: 'has-dash' }), refused('INVALID_TXID'));
    assert.throws(() => buildStaticBrCode({ ...base, description: 'x'.repeat(80) }), refused('INVALID_BR_CODE_INPUT'));
    assert.throws(() => buildDynamicBrCode({ ...base, locationUrl: 'x'.repeat(78) }), refused('INVALID_BR_CODE_INPUT'));
  });
});

describe('BR Code: properties', () => {
  it('amounts: exact to and from the decimal text', () => {
    assert.equal(formatBrCodeAmount(1n), '0.01');
    assert.equal(formatBrCodeAmount(1050n), '10.50');
    assert.equal(parseBrCodeAmount('10.5'), 1050n);
    assert.equal(parseBrCodeAmount('10'), 1000n);
    assert.equal(parseBrCodeAmount('0.00'), null);
    assert.equal(parseBrCodeAmount('1.234'), null);
    assert.equal(parseBrCodeAmount('-1.00'), null);
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: MAX_BR_CODE_AMOUNT }), (cents) => {
      const text = formatBrCodeAmount(cents);
      assert.equal(text, `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`);
      assert.ok(text.length <= 13);
      assert.equal(parseBrCodeAmount(text), cents);
    }));
  });

  const ascii = (min: number, max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max }).filter((s) => s.trim().length > 0);
  const cpfKey = fc.integer({ min: 100_000_000, max: 999_999_998 }).map((n) => String(n)).filter((s) => !/^(\d)\1+$/.test(s)).map((s) => s + cpfCheckDigits(s));
  const emailKey = fc.emailAddress().map((e) => e.toLowerCase()).filter((e) => e.length <= 77 && isValidPixKey('EMAIL', e));
  const keyArb = fc.oneof(cpfKey, emailKey, fc.constant(null).map(() => newEvpKey()), fc.constant('+5511912345678'));
  const staticInput: fc.Arbitrary<StaticBrCodeInput> = keyArb.chain((key) => fc.record({
    key: fc.constant(key),
    merchantName: ascii(1, 25),
    merchantCity: ascii(1, 15),
    amount: fc.option(fc.bigInt({ min: 1n, max: MAX_BR_CODE_AMOUNT }), { nil: undefined }),
    txid: fc.option(fc.stringMatching(/^[a-zA-Z0-9]{1,25}$/).filter((t) => !t.endsWith('6304')), { nil: undefined }),
    description: 99 - 26 - key.length >= 1 ? fc.option(ascii(1, Math.min(40, 99 - 26 - key.length)), { nil: undefined }) : fc.constant(undefined),
  }, { requiredKeys: ['key', 'merchantName', 'merchantCity'] }));

  it('parse(buildStatic(x)) gives x back (names upper-cased)', () => {
    fc.assert(fc.property(staticInput, (input) => {
      const payload = buildStaticBrCode(input);
      crcIsRight(payload);
      const parsed = parseBrCode(payload);
      const expected = { kind: 'STATIC', key: input.key, merchantName: input.merchantName.toUpperCase(), merchantCity: input.merchantCity.toUpperCase(), oneTime: false,
        ...(input.amount !== undefined ? { amount: input.amount } : {}), ...(input.txid !== undefined ? { txid: input.txid } : {}), ...(input.description !== undefined ? { description: input.description } : {}) };
      assert.deepEqual(parsed, expected);
    }), { numRuns: 300 });
  });

  it('parse(buildDynamic(x)) gives x back', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9.\-/]{1,77}$/), ascii(1, 25), ascii(1, 15), fc.boolean(), (locationUrl, merchantName, merchantCity, oneTime) => {
      fc.pre(!locationUrl.includes('://'));
      const parsed = parseBrCode(buildDynamicBrCode({ locationUrl, merchantName, merchantCity, oneTime }));
      assert.deepEqual(parsed, { kind: 'DYNAMIC', location: locationUrl, merchantName: merchantName.toUpperCase(), merchantCity: merchantCity.toUpperCase(), oneTime });
    }), { numRuns: 200 });
  });

  it('any one changed character is refused (BAD_CRC or MALFORMED_BR_CODE), never read as another code', () => {
    fc.assert(fc.property(staticInput, fc.nat(), fc.integer({ min: 0x20, max: 0x7e }), (input, where, code) => {
      const payload = buildStaticBrCode(input);
      const i = where % payload.length;
      const changed = payload.slice(0, i) + String.fromCharCode(code) + payload.slice(i + 1);
      fc.pre(changed !== payload && changed.trim() === changed);
      assert.throws(() => parseBrCode(changed), (e: unknown) => refused('BAD_CRC')(e) || refused('MALFORMED_BR_CODE')(e));
    }), { numRuns: 300 });
  });

  it('arbitrary text is a coded refusal, never a crash', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{4,80}$/)), (text) => {
      assert.throws(() => parseBrCode(text), (e: unknown) => refused('BAD_CRC')(e) || refused('MALFORMED_BR_CODE')(e));
    }), { numRuns: 500 });
  });
});
