import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { crossCheckApplicant, nameSimilarity, NAME_MATCH_THRESHOLD, type DocumentFields } from '../../../src/domain/ocr/index';

const FIELDS: DocumentFields = { documentType: 'CNH', fullName: 'JOÃO CONCEIÇÃO ARAÚJO', cpf: '52998224725', dateOfBirth: '1990-03-15', documentNumber: '04512873361', confidence: 0.99 };
const APPLICANT = { fullName: 'João Conceição Araújo', cpf: '529.982.247-25', dateOfBirth: '1990-03-15' };
const TODAY = { today: '2026-12-06' };

describe('crossCheckApplicant', () => {
  it('passes when the document backs the declared name (accents and case aside), CPF and date of birth', () => {
    assert.deepEqual(crossCheckApplicant(FIELDS, APPLICANT, TODAY), { passed: true, reasons: [], nameSimilarity: 1 });
    assert.equal(crossCheckApplicant(FIELDS, { ...APPLICANT, fullName: 'JOAO CONCEICAO ARAUJO' }, TODAY).passed, true);
  });

  it('names each mismatch with its code', () => {
    const check = (fields: Partial<DocumentFields>, applicant: Partial<typeof APPLICANT> = {}) =>
      crossCheckApplicant({ ...FIELDS, ...fields }, { ...APPLICANT, ...applicant }, TODAY).reasons;
    assert.deepEqual(check({}, { cpf: '168.995.350-09' }), ['OCR_CPF_MISMATCH']);
    assert.deepEqual(check({ cpf: '52998224726' }), ['OCR_CPF_INVALID']);
    assert.deepEqual(check({ cpf: '11111111111' }), ['OCR_CPF_INVALID']);
    assert.deepEqual(check({}, { fullName: 'MARIA GONÇALVES DE SÁ' }), ['OCR_NAME_MISMATCH']);
    assert.deepEqual(check({}, { dateOfBirth: '1990-03-16' }), ['OCR_DOB_MISMATCH']);
    assert.deepEqual(check({ documentType: 'UNKNOWN' }), ['OCR_DOCUMENT_UNKNOWN']);
  });

  it('reports missing fields', () => {
    const { fullName: _n, cpf: _c, dateOfBirth: _d, ...rest } = FIELDS;
    assert.deepEqual(crossCheckApplicant(rest, APPLICANT, TODAY).reasons, ['OCR_NAME_MISSING', 'OCR_CPF_MISSING', 'OCR_DOB_MISSING']);
  });

  it('refuses anyone under 18 on the day, counting the birthday itself as reached', () => {
    const at = (dob: string, today: string) => crossCheckApplicant({ ...FIELDS, dateOfBirth: dob }, { ...APPLICANT, dateOfBirth: dob }, { today }).reasons;
    assert.deepEqual(at('2010-05-18', '2026-12-06'), ['OCR_UNDERAGE']);
    assert.deepEqual(at('2008-12-07', '2026-12-06'), ['OCR_UNDERAGE']);
    assert.deepEqual(at('2008-12-06', '2026-12-06'), []);
    assert.deepEqual(at('2008-02-29', '2026-02-28'), ['OCR_UNDERAGE']);
  });

  it('tolerates one misread letter and particles, not another person', () => {
    assert.ok(nameSimilarity('JOÃO CONCEIÇÃO ARAÚJO', 'JOÃO CONCElÇÃO ARAÚJO') >= NAME_MATCH_THRESHOLD);
    assert.ok(nameSimilarity('JOSÉ ESTÊVÃO DA CONCEIÇÃO', 'José Estevão Conceição') === 1);
    assert.ok(nameSimilarity('ANTÔNIO BRANDÃO LOPES', 'ANTÔNIA BRANDÃO LOPES') >= NAME_MATCH_THRESHOLD);
    assert.ok(nameSimilarity('ANTÔNIO BRANDÃO LOPES', 'LÚCIA PEREIRA GUIMARÃES') < 0.5);
  });
});

describe('nameSimilarity (properties)', () => {
  const name = fc.array(fc.stringMatching(/^[A-Za-zÀ-ÿ]{1,8}$/), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
  it('is 1 for the same name, symmetric, within 0..1, and blind to case and accents', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const s = nameSimilarity(a, b);
        assert.ok(s >= 0 && s <= 1);
        assert.equal(s, nameSimilarity(b, a));
        assert.equal(nameSimilarity(a, a), 1);
        assert.equal(nameSimilarity(a, a.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()), 1);
      }),
    );
  });
});
