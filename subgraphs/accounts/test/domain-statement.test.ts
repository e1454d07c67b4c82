import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMoneyError, parseMoney, type MoneyErrorCode } from '@baas/money';
import {
  buildStatement,
  csvField,
  neutraliseFormula,
  STATEMENT_CSV_COLUMNS,
  toCsv,
  type StatementEntry,
} from '../src/domain/index';

const code = (expected: MoneyErrorCode) => (error: unknown) => isMoneyError(error, expected);

/**
 * A strict RFC 4180 parser: records end with CRLF (the last one optionally), fields are either plain (no DQUOTE,
 * comma, CR or LF) or wrapped in DQUOTEs with inner DQUOTEs doubled. Anything else throws.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const endRecord = () => {
    records.push(record);
    record = [];
  };
  if (text === '') return records;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (i >= text.length) {
      endRecord();
      return records;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      endRecord();
      if (i >= text.length) return records;
      continue;
    }
    throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
}

const entry = (id: string, amount: bigint, description: string, iso = '2024-06-15T12:00:00.000Z', currency = 'BRL'): StatementEntry => ({
  id,
  at: new Date(iso),
  amount,
  description,
  currency,
});

describe('parseCsv (the test oracle)', () => {
  it('parses RFC 4180 and rejects what is not', () => {
    assert.deepEqual(parseCsv('a,b\r\n"x,1","say ""hi""\r\nthere"\r\n'), [['a', 'b'], ['x,1', 'say "hi"\r\nthere']]);
    assert.deepEqual(parseCsv('a,,\r\n'), [['a', '', '']]);
    for (const bad of ['a\nb', 'a"b', '"a', '"a"b', 'a\rb']) assert.throws(() => parseCsv(bad), Error, JSON.stringify(bad));
  });
});

describe('buildStatement', () => {
  it('computes running balances in the given order', () => {
    const rows = buildStatement({
      currency: 'BRL',
      openingBalance: 10_000n,
      entries: [entry('e1', 2_500n, 'Pix in'), entry('e2', -12_345n, 'Card'), entry('e3', 0n, 'Note'), entry('e4', 99n, 'Interest')],
    });
    assert.deepEqual(rows.map((r) => [r.id, r.balance]), [['e1', 12_500n], ['e2', 155n], ['e3', 155n], ['e4', 254n]]);
    assert.deepEqual(buildStatement({ currency: 'BRL', openingBalance: 5n, entries: [] }), []);
  });

  it('refuses mixed currencies and malformed entries', () => {
    assert.throws(() => buildStatement({ currency: 'BRL', openingBalance: 0n, entries: [entry('e1', 1n, 'x', undefined, 'USD')] }), code('CURRENCY_MISMATCH'));
    assert.throws(() => buildStatement({ currency: 'XXX', openingBalance: 0n, entries: [] }), code('UNKNOWN_CURRENCY'));
    assert.throws(() => buildStatement({ currency: 'BRL', openingBalance: 0 as unknown as bigint, entries: [] }), code('INVALID_AMOUNT'));
    assert.throws(() => buildStatement({ currency: 'BRL', openingBalance: 0n, entries: [{ ...entry('e1', 1n, 'x'), amount: 1 as unknown as bigint }] }), code('INVALID_AMOUNT'));
    assert.throws(() => buildStatement({ currency: 'BRL', openingBalance: 0n, entries: [{ ...entry('e1', 1n, 'x'), at: new Date(Number.NaN) }] }), RangeError);
  });

  it('ends at opening + sum(amounts), every row adding its own amount', () => {
    const amountArb = fc.oneof(fc.bigInt({ min: -100_000n, max: 100_000n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }));
    fc.assert(
      fc.property(amountArb, fc.array(amountArb, { maxLength: 50 }), (opening, amounts) => {
        const rows = buildStatement({ currency: 'USD', openingBalance: opening, entries: amounts.map((a, i) => entry(`e${i}`, a, '', undefined, 'USD')) });
        const final = rows.length === 0 ? opening : rows[rows.length - 1]!.balance;
        assert.equal(final, amounts.reduce((acc, a) => acc + a, opening));
        rows.forEach((row, i) => assert.equal(row.balance, (i === 0 ? opening : rows[i - 1]!.balance) + row.amount));
      }),
    );
  });
});

describe('toCsv', () => {
  it('writes RFC 4180 with a header, CRLF, plain decimal amounts and neutralised text', () => {
    const rows = buildStatement({
      currency: 'BRL',
      openingBalance: 0n,
      entries: [
        entry('e1', 123_456n, 'Salary, June', '2024-06-05T12:00:00.000Z'),
        entry('e2', -5n, 'Said "hi"\nnext line', '2024-06-06T01:02:03.004Z'),
        entry('e3', -123_500n, '=HYPERLINK("http://x")'),
        entry('e4', 0n, '-2+3'),
        entry('e5', 1n, '@SUM(A1)'),
        entry('e6', 1n, '+1'),
        entry('=id', 1n, 'plain'),
      ],
    });
    assert.equal(
      toCsv(rows, { currency: 'BRL' }),
      [
        'date,id,description,amount,balance,currency,accountTransferId',
        '2024-06-05T12:00:00.000Z,e1,"Salary, June",1234.56,1234.56,BRL,',
        '2024-06-06T01:02:03.004Z,e2,"Said ""hi""\nnext line",-0.05,1234.51,BRL,',
        `2024-06-15T12:00:00.000Z,e3,"'=HYPERLINK(""http://x"")",-1235.00,-0.49,BRL,`,
        "2024-06-15T12:00:00.000Z,e4,'-2+3,0.00,-0.49,BRL,",
        "2024-06-15T12:00:00.000Z,e5,'@SUM(A1),0.01,-0.48,BRL,",
        "2024-06-15T12:00:00.000Z,e6,'+1,0.01,-0.47,BRL,",
        "2024-06-15T12:00:00.000Z,'=id,plain,0.01,-0.46,BRL,",
        '',
      ].join('\r\n'),
    );
  });

  it('uses the currency exponent (JPY 0, KWD 3) and writes just the header for no rows', () => {
    const jpy = buildStatement({ currency: 'JPY', openingBalance: -100n, entries: [entry('e1', 1500n, 'x', undefined, 'JPY')] });
    assert.equal(toCsv(jpy, { currency: 'JPY' }).split('\r\n')[1], '2024-06-15T12:00:00.000Z,e1,x,1500,1400,JPY,');
    const kwd = buildStatement({ currency: 'KWD', openingBalance: 0n, entries: [entry('e1', -1234n, 'x', undefined, 'KWD')] });
    assert.equal(toCsv(kwd, { currency: 'KWD' }).split('\r\n')[1], '2024-06-15T12:00:00.000Z,e1,x,-1.234,-1.234,KWD,');
    assert.equal(toCsv([], { currency: 'BRL' }), 'date,id,description,amount,balance,currency,accountTransferId\r\n');
  });

  it('refuses rows in another currency', () => {
    const rows = buildStatement({ currency: 'USD', openingBalance: 0n, entries: [entry('e1', 1n, 'x', undefined, 'USD')] });
    assert.throws(() => toCsv(rows, { currency: 'BRL' }), code('CURRENCY_MISMATCH'));
  });

  it('neutraliseFormula and csvField', () => {
    for (const t of ['=1', '+1', '-1', '@a', '\tx', '\rx', '\0x']) assert.equal(neutraliseFormula(t), `'${t}`);
    for (const t of ['', 'a=1', ' =1', "'=1", '1-2']) assert.equal(neutraliseFormula(t), t);
    assert.equal(csvField('a'), 'a');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('a"b'), '"a""b"');
    assert.equal(csvField('a\rb'), '"a\rb"');
  });

  const textArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\0', '"', ',', "'", ' '), fc.string({ unit: 'binary', maxLength: 10 })).map(([a, b]) => a + b),
  );

  it('round-trips through an RFC 4180 parser', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('BRL', 'JPY', 'KWD', 'CLF'),
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.array(
          fc.record({
            id: textArb,
            description: textArb,
            amount: fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n })),
            at: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }),
          }),
          { maxLength: 20 },
        ),
        (currency, opening, raw) => {
          const rows = buildStatement({ currency, openingBalance: opening, entries: raw.map((r) => ({ ...r, currency })) });
          const csv = toCsv(rows, { currency });
          assert.ok(csv.endsWith('\r\n'));
          const records = parseCsv(csv);
          assert.deepEqual(records[0], [...STATEMENT_CSV_COLUMNS]);
          assert.equal(records.length, rows.length + 1);
          rows.forEach((row, i) => {
            const [date, id, description, amount, balance, cur, clientId] = records[i + 1]!;
            assert.equal(clientId, '');
            assert.equal(date, row.at.toISOString());
            assert.equal(id, neutraliseFormula(row.id));
            assert.equal(description, neutraliseFormula(row.description));
            assert.equal(parseMoney(amount!, currency).amount, row.amount);
            assert.equal(parseMoney(balance!, currency).amount, row.balance);
            assert.equal(cur, currency);
            for (const text of [id!, description!]) assert.ok(!/^[=+\-@\t\r\0]/.test(text), JSON.stringify(text));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
