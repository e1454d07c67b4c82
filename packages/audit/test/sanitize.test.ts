import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maskSensitiveText, sanitizeAuditDetails, sanitizeAuditText } from '../src/index';

const JWT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjdXN0LTEiLCJ0aWQiOiJ0LTEifQ.MEUCIQDx-abc_123';

// 11 digits, bare or as 123.456.789-09 (the check digits need not be valid: a typo is still personal data).
const cpf = fc
  .tuple(fc.stringMatching(/^\d{11}$/), fc.boolean())
  .map(([d, punctuated]) => (punctuated ? `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}` : d));
// Surrounding text never ends or starts with a digit glued to the CPF (that would be a longer number).
const text = fc.string({ maxLength: 30 });
const around = <T>(arb: fc.Arbitrary<string>) => fc.tuple(text, arb, text).map(([a, v, b]) => ({ value: v, embedded: `${a} ${v} ${b}` as T }));

describe('sanitizeAuditDetails', () => {
  it('masks known PII keys and redacts secrets, whatever their spelling', () => {
    const out = sanitizeAuditDetails({
      email: 'joao.silva@example.com.br',
      contactEmail: 'maria@bank.io',
      phone: '+55 11 98765-4321',
      mobile: 11987654321,
      taxId: '12.345.678/0001-95',
      cpf: '123.456.789-09',
      cnpj: '12345678000195',
      document: '12345678909',
      code: '483920',
      otp: 483920,
      secret: 's3cr3t',
      clientSecret: 'cs',
      token: 't',
      password: 'hunter2',
      refreshToken: 'r',
      refresh_token: 'r',
      accessToken: 'a',
      Authorization: `Bearer ${JWT}`,
      cookie: 'sid=1',
      apiKey: 'k',
      tokenType: 'refresh',
      tokenId: 'jti-123',
      amount: 100,
    });
    assert.deepEqual(out, {
      email: 'j***@e***.br',
      contactEmail: 'm***@b***.io',
      phone: '***21',
      mobile: '***21',
      taxId: '***0195',
      cpf: '***.456.789-**',
      cnpj: '***0195',
      document: '***.456.789-**',
      code: '[REDACTED]',
      otp: '[REDACTED]',
      secret: '[REDACTED]',
      clientSecret: '[REDACTED]',
      token: '[REDACTED]',
      password: '[REDACTED]',
      refreshToken: '[REDACTED]',
      refresh_token: '[REDACTED]',
      accessToken: '[REDACTED]',
      Authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      apiKey: '[REDACTED]',
      tokenType: 'refresh',
      tokenId: 'jti-123',
      amount: 100,
    });
  });

  it('works recursively, through arrays, and on values under unknown keys', () => {
    const out = sanitizeAuditDetails({
      request: { headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-trace': 'abc' }, body: { user: { email: 'a@b.com', password: 'x' } } },
      list: [{ phone: '11 91234-5678' }, 'contact x@y.org now', 12345678909, '12.345.678/0001-95', JWT],
      note: `login by ana@corp.com.br cpf 123.456.789-09 with Bearer ${JWT}`,
      emails: ['a@b.com', 'c@d.com'],
    });
    assert.deepEqual(out, {
      request: { headers: { authorization: '[REDACTED]', 'x-trace': 'abc' }, body: { user: { email: 'a***@b***.com', password: '[REDACTED]' } } },
      list: [{ phone: '***78' }, 'contact x***@y***.org now', '***.456.789-**', '***0195', '[REDACTED]'],
      note: 'login by a***@c***.br cpf ***.456.789-** with Bearer [REDACTED]',
      emails: ['a***@b***.com', 'c***@d***.com'],
    });
  });

  it('makes values storable: bigint, dates, cycles, dotted and $ keys, depth and size caps', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { deep };
    const out = sanitizeAuditDetails({
      amountMinor: 12345678901234567890n,
      when: new Date('2026-01-02T03:04:05Z'),
      cycle,
      'a.b': 1,
      $where: 'x',
      fn: () => 1,
      missing: undefined,
      ts: 1_767_323_045_000,
      deep,
      long: 'x'.repeat(5000),
      many: Array.from({ length: 500 }, (_, i) => i),
      bytes: Buffer.from('secret'),
      err: new Error('failed for x@y.com'),
    });
    assert.equal(out.amountMinor, '12345678901234567890');
    assert.deepEqual(out.when, new Date('2026-01-02T03:04:05Z'));
    assert.deepEqual(out.cycle, { name: 'loop', self: '[Circular]' });
    assert.equal(out.a_b, 1);
    assert.equal(out._where, 'x');
    assert.ok(!('fn' in out) && !('missing' in out) && !('a.b' in out) && !('$where' in out));
    assert.equal(out.ts, 1_767_323_045_000, 'a 13-digit timestamp is not a document');
    assert.match(JSON.stringify(out.deep), /\[Truncated\]/);
    assert.ok((out.long as string).length <= 1025);
    assert.equal((out.many as unknown[]).length, 100);
    assert.equal(out.bytes, '[binary 6 bytes]');
    assert.deepEqual(out.err, { name: 'Error', message: 'failed for x***@y***.com' });
  });

  it('keeps a __proto__ key as data and never mutates its input', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "email": "a@b.com"}') as Record<string, unknown>;
    const out = sanitizeAuditDetails(input);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(input.email, 'a@b.com');
  });

  it('is not fooled by keys that name Object.prototype members', () => {
    const out = sanitizeAuditDetails({ constructor: '12345678909', toString: 'a@b.com', __proto__x: 'x', hasOwnProperty: 1 });
    assert.deepEqual(out, { constructor: '***.456.789-**', toString: 'a***@b***.com', __proto__x: 'x', hasOwnProperty: 1 });
  });

  // No clock assertion: the inputs are sized so that quadratic (or worse) matching would run for
  // hours; the test's timeout is the bound that fails it, and the outputs are checked.
  it('stays linear on hostile strings', { timeout: 30_000 }, () => {
    for (const s of ['a'.repeat(200_000), 'eyJ'.repeat(60_000), '1.'.repeat(100_000), `${'a.'.repeat(50_000)}@`]) {
      assert.equal(typeof sanitizeAuditText(s), 'string');
    }
  });

  it('property: no generated e-mail survives, embedded in text or under any key', () => {
    fc.assert(
      fc.property(around<string>(fc.emailAddress()), fc.string({ minLength: 1, maxLength: 12 }), ({ value, embedded }, key) => {
        const out = JSON.stringify(sanitizeAuditDetails({ [key]: value, nested: { [key]: [embedded] }, text: embedded }));
        assert.ok(!out.includes(value), `${value} survived in ${out}`);
        assert.ok(!maskSensitiveText(embedded).includes(value));
      }),
      { numRuns: 500 },
    );
  });

  it('property: no generated CPF survives, bare or punctuated, embedded in text or under any key', () => {
    fc.assert(
      fc.property(around<string>(cpf), fc.string({ minLength: 1, maxLength: 12 }), ({ value, embedded }, key) => {
        const out = JSON.stringify(sanitizeAuditDetails({ [key]: value, nested: { [key]: [embedded] }, text: embedded }));
        const digits = value.replace(/\D/g, '');
        assert.ok(!out.includes(value) && !out.includes(digits), `${value} survived in ${out}`);
      }),
      { numRuns: 500 },
    );
  });
});
