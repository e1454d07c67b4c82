import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cpfCheckDigits, formatCpf } from '@baas/br-documents';
import { extractDocumentFields, parseCpf, parseDayFirstDate, parsePersonName, type OcrLine } from '../../../src/domain/ocr/index';

const line = (text: string, x: number, y: number, width = 200, height = 24, confidence = 0.99): OcrLine => ({ text, confidence, box: { x, y, width, height } });

/** The lines the engine reads off models/kyc/documents/cnh-joao-conceicao-araujo.png (reading order interleaves the columns). */
const CNH_LINES: OcrLine[] = [
  line('REPÚBLICA FEDERATIVA DO BRASIL', 27, 7, 443, 29),
  line('CARTEIRA NACIONAL DE HABILITAÇÃO', 27, 37, 434, 27),
  line('NOME', 296, 93, 61, 21),
  line('JOÃO CONCEIÇÃO ARAÚJO', 294, 113, 398, 42, 0.997),
  line('DOC. IDENTIDADE / ÓRG. EMISSOR / UF', 297, 176, 355, 24),
  line('12873361 SSP SP', 298, 204, 234, 27),
  line('CPF', 296, 251, 42, 24),
  line('DATA NASCIMENTO', 617, 254, 177, 20),
  line('529.982.247-25', 297, 278, 212, 28),
  line('15/03/1990', 618, 279, 154, 28),
  line('Nº REGISTRO', 297, 329, 124, 19),
  line('VALIDADE', 616, 328, 97, 21),
  line('04512873361', 297, 353, 186, 29),
  line('12/08/2031', 617, 353, 155, 30),
];

const digits9 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((d) => d.join(''));
const validCpf = digits9.filter((d) => !/^(\d)\1+$/.test(d)).map((d) => d + cpfCheckDigits(d));
const isoDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dayFirst = (iso: string, sep = '/') => iso.split('-').reverse().join(sep);
const word = fc.stringMatching(/^[A-ZÁÂÃÉÊÍÓÔÕÚÇ]{2,10}$/);
const personName = fc.array(word, { minLength: 2, maxLength: 5 }).map((w) => w.join(' '));

describe('field parsers', () => {
  it('parseCpf reads any valid CPF back from its printed forms (property)', () => {
    fc.assert(
      fc.property(validCpf, fc.constantFrom('dotted', 'bare', 'spaced'), (cpf, form) => {
        const text = form === 'dotted' ? formatCpf(cpf) : form === 'bare' ? cpf : `${cpf.slice(0, 3)} ${cpf.slice(3, 6)} ${cpf.slice(6, 9)} ${cpf.slice(9)}`;
        assert.equal(parseCpf(text), cpf);
        assert.equal(parseCpf(`CPF: ${text}`), cpf);
      }),
    );
  });

  it('parseCpf repairs O/I slips, refuses other lengths', () => {
    assert.equal(parseCpf('529.982.247-2S'), undefined);
    assert.equal(parseCpf('529.98O.247-I5'), '52998024715');
    assert.equal(parseCpf('529.982.247-251'), undefined);
    assert.equal(parseCpf('12/08/2031'), undefined);
  });

  it('parseDayFirstDate reads every real date written dd/mm/yyyy, dd.mm.yyyy or dd-mm-yyyy (property)', () => {
    fc.assert(
      fc.property(isoDate, fc.constantFrom('/', '.', '-'), (iso, sep) => {
        assert.equal(parseDayFirstDate(dayFirst(iso, sep)), iso);
        assert.equal(parseDayFirstDate(`${dayFirst(iso, sep)}, SÃO PAULO, SP`), iso);
      }),
    );
  });

  it('parseDayFirstDate refuses dates that do not exist', () => {
    for (const text of ['31/02/2000', '29/02/2001', '00/01/2000', '15/13/1990', '15/03/1899', '1990-03-15', '']) assert.equal(parseDayFirstDate(text), undefined, text);
    assert.equal(parseDayFirstDate('29/02/2000'), '2000-02-29');
  });

  it('parsePersonName keeps accents, needs two words of letters', () => {
    assert.equal(parsePersonName('  joão  conceição araújo '), 'JOÃO CONCEIÇÃO ARAÚJO');
    assert.equal(parsePersonName("MARIA D'ÁVILA SANT-ANNA"), "MARIA D'ÁVILA SANT-ANNA");
    for (const text of ['JOÃO', 'JOÃO 2', 'DOC. IDENTIDADE', '529.982.247-25', '']) assert.equal(parsePersonName(text), undefined, text);
  });
});

describe('extractDocumentFields', () => {
  it('reads the CNH fields by their labels, whatever the reading order', () => {
    const expected = { documentType: 'CNH', fullName: 'JOÃO CONCEIÇÃO ARAÚJO', cpf: '52998224725', dateOfBirth: '1990-03-15', documentNumber: '04512873361', confidence: 0.99 };
    assert.deepEqual(extractDocumentFields(CNH_LINES), expected);
    assert.deepEqual(extractDocumentFields([...CNH_LINES].reverse()), expected);
  });

  it('reads an RG: REGISTRO GERAL is its number, FILIAÇÃO is not the name', () => {
    const lines = [
      line('CARTEIRA DE IDENTIDADE', 300, 56, 325),
      line('REGISTRO GERAL', 297, 113, 161, 21),
      line('34.871.205-X', 298, 139, 179, 26),
      line('NOME', 297, 192, 60, 22),
      line('LÚCIA PEREIRA GUIMARÃES', 297, 214, 417, 36),
      line('FILIAÇÃO', 296, 274, 92, 27),
      line('CARLOS EDUARDO NUNES', 298, 305, 347, 24),
      line('DATA DE NASCIMENTO', 298, 398, 206, 20),
      line('CPF', 617, 398, 40, 21),
      line('24/12/1999', 297, 424, 155, 28),
      line('935.411.347-80', 617, 424, 212, 27),
    ];
    assert.deepEqual(extractDocumentFields(lines), {
      documentType: 'RG',
      fullName: 'LÚCIA PEREIRA GUIMARÃES',
      cpf: '93541134780',
      dateOfBirth: '1999-12-24',
      documentNumber: '34.871.205-X',
      confidence: 0.99,
    });
  });

  it('reads values printed beside their labels, and skips NOME SOCIAL', () => {
    const lines = [
      line('CARTEIRA DE IDENTIDADE', 0, 0),
      line('NOME SOCIAL', 0, 40),
      line('JOJO TODYNHO', 0, 64),
      line('NOME: Maria Gonçalves de Sá', 0, 120, 400),
      line('CPF 168.995.350-09', 0, 160),
      line('DATA DE NASC. 02/11/1985', 0, 200),
    ];
    const f = extractDocumentFields(lines);
    assert.deepEqual([f.fullName, f.cpf, f.dateOfBirth], ['MARIA GONÇALVES DE SÁ', '16899535009', '1985-11-02']);
  });

  it('gives nothing it has no label for; UNKNOWN type; confidence 0', () => {
    assert.deepEqual(extractDocumentFields([line('JOÃO SILVA', 0, 0), line('529.982.247-25', 0, 30)]), { documentType: 'UNKNOWN', confidence: 0 });
    assert.deepEqual(extractDocumentFields([]), { documentType: 'UNKNOWN', confidence: 0 });
  });

  it('reads back any name, CPF, date and number laid out as a CNH (property)', () => {
    fc.assert(
      fc.property(personName, validCpf, isoDate, fc.stringMatching(/^\d{11}$/), fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], { minLength: 14 }), (name, cpf, dob, number, order) => {
        const lines = CNH_LINES.map((l) => ({ ...l }));
        lines[3]!.text = name;
        lines[8]!.text = formatCpf(cpf);
        lines[9]!.text = dayFirst(dob);
        lines[12]!.text = number;
        const f = extractDocumentFields(order.map((i) => lines[i]!));
        assert.deepEqual([f.documentType, f.fullName, f.cpf, f.dateOfBirth, f.documentNumber], ['CNH', name, cpf, dob, number]);
      }),
    );
  });

  it('never throws, whatever the lines (property)', () => {
    const anyLine = fc.record({
      text: fc.oneof(fc.string(), fc.constantFrom('NOME', 'CPF', 'DATA NASCIMENTO', 'Nº REGISTRO', 'REGISTRO GERAL', 'PASSAPORTE Nº')),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      box: fc.record({ x: fc.integer({ min: -10, max: 1000 }), y: fc.integer({ min: -10, max: 1000 }), width: fc.integer({ min: 0, max: 500 }), height: fc.integer({ min: 0, max: 100 }) }),
    });
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 20 }), (lines) => {
        const f = extractDocumentFields(lines);
        assert.ok(f.confidence >= 0 && f.confidence <= 1);
        if (f.cpf !== undefined) assert.match(f.cpf, /^\d{11}$/);
        if (f.dateOfBirth !== undefined) assert.match(f.dateOfBirth, /^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });
});
