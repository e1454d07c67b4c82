import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DOCUMENT_TYPES, type DocumentType } from '../../src/domain/document-types';
import { decideKyc, DEFAULT_KYC_RULES, missingDocuments, type CheckOutcome, type CheckResult, type CheckResults } from '../../src/domain/kyc-decision';

const pass = (score: number | null = null, modelVersion = 'm@1'): CheckResult => ({ outcome: 'PASS', score, reasons: [], modelVersion });
const fail = (reasons: string[], score: number | null = null): CheckResult => ({ outcome: 'FAIL', score, reasons, modelVersion: 'm@1' });
const unsure = (reasons: string[] = [], score: number | null = null): CheckResult => ({ outcome: 'UNCERTAIN', score, reasons, modelVersion: 'm@1' });
const allPass = (): CheckResults => ({ ocr: pass(0.95), face: pass(0.9), liveness: pass(0.97), screening: pass(0.1) });
const docs: DocumentType[] = ['CNH', 'SELFIE'];
const decide = (checks: CheckResults, documents: DocumentType[] = docs, rules = DEFAULT_KYC_RULES) => decideKyc({ documents, checks, rules });

describe('decideKyc', () => {
  it('approves when every check passes above the rules', () => {
    assert.deepEqual(decide(allPass()), { outcome: 'APPROVED', reasons: [] });
    for (const doc of ['CNH', 'RG', 'PASSPORT'] as const) assert.equal(decide(allPass(), [doc, 'SELFIE']).outcome, 'APPROVED');
  });

  it('a missing document or selfie is NEEDS_DOCUMENTS, whatever the checks say', () => {
    assert.deepEqual(decide(allPass(), ['SELFIE']), { outcome: 'NEEDS_DOCUMENTS', reasons: ['DOCUMENT_MISSING'] });
    assert.deepEqual(decide(allPass(), ['RG']), { outcome: 'NEEDS_DOCUMENTS', reasons: ['SELFIE_MISSING'] });
    assert.deepEqual(decide({ face: fail(['FACE_MISMATCH'], 0.1) }, []), { outcome: 'NEEDS_DOCUMENTS', reasons: ['DOCUMENT_MISSING', 'SELFIE_MISSING'] });
    assert.deepEqual(missingDocuments(['CNH', 'SELFIE']), []);
  });

  it('a face mismatch is DENIED FACE_MISMATCH: said by the check, or a similarity under the tenant minimum', () => {
    assert.deepEqual(decide({ ...allPass(), face: fail(['FACE_MISMATCH'], 0.2) }), { outcome: 'DENIED', reasons: ['FACE_MISMATCH'] });
    assert.deepEqual(decide({ ...allPass(), face: pass(0.55) }), { outcome: 'DENIED', reasons: ['FACE_MISMATCH'] });
    assert.equal(decide({ ...allPass(), face: pass(0.55) }, docs, { ...DEFAULT_KYC_RULES, minFaceSimilarity: 0.5 }).outcome, 'APPROVED');
  });

  it('a face not found or several faces ask for the pictures again', () => {
    assert.deepEqual(decide({ ...allPass(), face: fail(['FACE_NOT_FOUND'], 0) }), { outcome: 'NEEDS_DOCUMENTS', reasons: ['FACE_NOT_FOUND'] });
    assert.deepEqual(decide({ ...allPass(), face: fail(['FACE_MULTIPLE']) }), { outcome: 'NEEDS_DOCUMENTS', reasons: ['FACE_MULTIPLE'] });
  });

  it('failed liveness is DENIED; a low liveness score too', () => {
    assert.deepEqual(decide({ ...allPass(), liveness: fail(['LIVENESS_FAILED'], 0.1) }), { outcome: 'DENIED', reasons: ['LIVENESS_FAILED'] });
    assert.deepEqual(decide({ ...allPass(), liveness: pass(0.3) }), { outcome: 'DENIED', reasons: ['LIVENESS_FAILED'] });
  });

  it('a screening hit goes to MANUAL_REVIEW, never straight to DENIED', () => {
    assert.deepEqual(decide({ ...allPass(), screening: fail(['SCREENING_HIT'], 0.97) }), { outcome: 'MANUAL_REVIEW', reasons: ['SCREENING_HIT'] });
    assert.deepEqual(decide({ ...allPass(), screening: fail([], 0.97) }), { outcome: 'MANUAL_REVIEW', reasons: ['SCREENING_FAILED', 'SCREENING_HIT'] });
  });

  it('any UNCERTAIN check goes to MANUAL_REVIEW with <CHECK>_UNCERTAIN', () => {
    for (const name of ['ocr', 'face', 'liveness', 'screening'] as const) {
      const d = decide({ ...allPass(), [name]: unsure([], 0.9) });
      assert.equal(d.outcome, 'MANUAL_REVIEW', name);
      assert.ok(d.reasons.includes(`${name.toUpperCase()}_UNCERTAIN`), `${name}: ${d.reasons}`);
    }
  });

  it('OCR: mismatches are a doubt (MANUAL_REVIEW), underage and an invalid CPF deny, unreadable asks again, low confidence is reviewed', () => {
    assert.deepEqual(decide({ ...allPass(), ocr: fail(['OCR_CPF_MISMATCH', 'OCR_NAME_MISMATCH'], 0.9) }), { outcome: 'MANUAL_REVIEW', reasons: ['OCR_CPF_MISMATCH', 'OCR_NAME_MISMATCH'] });
    assert.deepEqual(decide({ ...allPass(), ocr: fail(['OCR_UNDERAGE'], 0.9) }), { outcome: 'DENIED', reasons: ['OCR_UNDERAGE'] });
    assert.deepEqual(decide({ ...allPass(), ocr: fail(['OCR_CPF_INVALID'], 0.9) }), { outcome: 'DENIED', reasons: ['OCR_CPF_INVALID'] });
    assert.deepEqual(decide({ ...allPass(), ocr: fail(['OCR_UNREADABLE'], 0.1) }), { outcome: 'NEEDS_DOCUMENTS', reasons: ['OCR_UNREADABLE'] });
    assert.deepEqual(decide({ ...allPass(), ocr: pass(0.3) }), { outcome: 'MANUAL_REVIEW', reasons: ['OCR_LOW_CONFIDENCE'] });
  });

  it('a check that did not report is a doubt: MANUAL_REVIEW <CHECK>_MISSING', () => {
    const { screening: _s, ...rest } = allPass();
    assert.deepEqual(decide(rest), { outcome: 'MANUAL_REVIEW', reasons: ['SCREENING_MISSING'] });
  });

  it('precedence: re-upload > deny > review; every reason of the winning outcome is reported once', () => {
    const all = { ocr: fail(['OCR_UNREADABLE']), face: fail(['FACE_MISMATCH'], 0.1), liveness: fail(['LIVENESS_FAILED'], 0.1), screening: fail(['SCREENING_HIT']) };
    assert.deepEqual(decide(all), { outcome: 'NEEDS_DOCUMENTS', reasons: ['OCR_UNREADABLE'] });
    assert.deepEqual(decide({ ...all, ocr: pass(0.9) }), { outcome: 'DENIED', reasons: ['FACE_MISMATCH', 'LIVENESS_FAILED'] });
  });

  it('properties: deterministic; APPROVED only when all four pass above every minimum; DENIED never without a hard reason', () => {
    const outcome = fc.constantFrom<CheckOutcome>('PASS', 'FAIL', 'UNCERTAIN');
    const reasons = fc.subarray(['FACE_MISMATCH', 'FACE_NOT_FOUND', 'LIVENESS_FAILED', 'OCR_UNDERAGE', 'OCR_CPF_MISMATCH', 'OCR_UNREADABLE', 'SCREENING_HIT', 'OCR_CPF_INVALID']);
    const check = fc.option(fc.record({ outcome, score: fc.option(fc.double({ min: 0, max: 1, noNaN: true })), reasons, modelVersion: fc.constant('m@1') }), { nil: undefined });
    const documents = fc.subarray([...DOCUMENT_TYPES]);
    fc.assert(
      fc.property(documents, check, check, check, check, (documents, ocr, face, liveness, screening) => {
        const checks: CheckResults = {};
        if (ocr) checks.ocr = ocr;
        if (face) checks.face = face;
        if (liveness) checks.liveness = liveness;
        if (screening) checks.screening = screening;
        const d = decideKyc({ documents, checks, rules: DEFAULT_KYC_RULES });
        assert.deepEqual(decideKyc({ documents, checks, rules: DEFAULT_KYC_RULES }), d);
        assert.equal(new Set(d.reasons).size, d.reasons.length);
        if (d.outcome === 'APPROVED') {
          assert.deepEqual(missingDocuments(documents), []);
          for (const c of [ocr, face, liveness, screening]) assert.equal(c?.outcome, 'PASS');
          assert.ok(face!.score == null || face!.score >= DEFAULT_KYC_RULES.minFaceSimilarity);
          assert.ok(liveness!.score == null || liveness!.score >= DEFAULT_KYC_RULES.minLivenessScore);
        } else assert.ok(d.reasons.length > 0);
        if (d.outcome === 'DENIED') assert.ok(d.reasons.every((r) => ['FACE_MISMATCH', 'LIVENESS_FAILED', 'OCR_UNDERAGE', 'OCR_CPF_INVALID'].includes(r)));
        if (screening?.outcome === 'FAIL' && d.outcome !== 'NEEDS_DOCUMENTS' && d.outcome !== 'DENIED') assert.equal(d.outcome, 'MANUAL_REVIEW');
      }),
      { numRuns: 2000 },
    );
  });
});
