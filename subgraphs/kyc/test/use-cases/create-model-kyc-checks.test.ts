import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FaceBox } from '../../src/domain/face/index';
import { buildScreeningIndex, parseOfacSdnCsv } from '../../src/domain/screening/index';
import { createModelKycChecks, type FaceEnginePort, type OcrEnginePort } from '../../src/use-cases/create-model-kyc-checks';
import type { KycCheckDocument } from '../../src/use-cases/kyc-checks';
import { pngBytes } from '../kyc-fixture';

const sdn = readFileSync(new URL('../../fixtures/sanctions/sdn.csv', import.meta.url), 'utf8');
const index = buildScreeningIndex(parseOfacSdnCsv(sdn));
const model = (name: string) => ({ name, version: '1' });
const box = (x = 0): FaceBox => ({ x, y: 0, width: 4, height: 4, score: 0.9 }) as FaceBox;
const doc = (type: KycCheckDocument['type'], marker = 0): KycCheckDocument => ({ documentId: `d-${type}`, type, contentType: 'image/png', bytes: pngBytes(8, 8, marker) });
const line = (text: string) => ({ text, confidence: 0.95, box: { points: [] } }) as never;

/** Fake engines whose answers a test sets; the adapter's mapping to CheckResults is what is tested. */
function engines(opts: { lines?: string[]; faces?: FaceBox[]; selfieFaces?: FaceBox[]; embeddings?: [number[], number[]]; spoof?: number; live?: number } = {}) {
  const ocr: OcrEnginePort = { recognize: async () => (opts.lines ?? []).map(line), describe: () => ({ det: model('det'), rec: model('rec') }) };
  let detects = 0;
  let embeds = 0;
  const face: FaceEnginePort = {
    detect: async () => (detects++ % 2 === 0 ? (opts.selfieFaces ?? [box()]) : (opts.faces ?? [box()])),
    embed: async () => new Float32Array((opts.embeddings ?? [[1, 0], [1, 0]])[embeds++ % 2]!),
    antiSpoof: async () => opts.spoof ?? 0.9,
    passiveLiveness: async () => opts.live ?? 0.9,
    describe: () => ({ embedding: model('faceres'), antispoof: model('antispoof'), liveness: model('liveness'), detector: model('blazeface') }),
  };
  return createModelKycChecks({ ocr, face, screening: { index: async () => index, version: async () => 'ofac-sdn@fixture' } }, { today: () => '2026-06-01' });
}

describe('createModelKycChecks (the port over the engines)', () => {
  it('face: PASS at or above the threshold, UNCERTAIN just under, FAIL FACE_MISMATCH below; no face, several faces', async () => {
    const same = await engines({ embeddings: [[1, 0], [1, 0]] }).face(doc('SELFIE'), doc('CNH'));
    assert.deepEqual([same.outcome, same.modelVersion], ['PASS', 'faceres@1']);
    assert.ok(Math.abs(same.score! - 1) < 1e-6);
    const near = await engines({ embeddings: [[1, 0], [0.64, Math.sqrt(1 - 0.64 ** 2)]] }).face(doc('SELFIE'), doc('CNH'));
    assert.deepEqual([near.outcome, near.reasons], ['UNCERTAIN', ['FACE_NEAR_THRESHOLD']]);
    const other = await engines({ embeddings: [[1, 0], [0, 1]] }).face(doc('SELFIE'), doc('CNH'));
    assert.deepEqual([other.outcome, other.reasons], ['FAIL', ['FACE_MISMATCH']]);
    assert.deepEqual((await engines({ selfieFaces: [] }).face(doc('SELFIE'), doc('CNH'))).reasons, ['FACE_NOT_FOUND']);
    assert.deepEqual((await engines({ selfieFaces: [box(), box(9)] }).face(doc('SELFIE'), doc('CNH'))).reasons, ['FACE_MULTIPLE']);
  });

  it('liveness: the lower passive score; under the pass mark UNCERTAIN (uncalibrated models never deny)', async () => {
    const ok = await engines({ spoof: 0.8, live: 0.7 }).liveness(doc('SELFIE'));
    assert.deepEqual([ok.outcome, ok.score, ok.modelVersion], ['PASS', 0.7, 'antispoof@1+liveness@1']);
    const low = await engines({ spoof: 0.8, live: 0.2 }).liveness(doc('SELFIE'));
    assert.deepEqual([low.outcome, low.reasons], ['UNCERTAIN', ['LIVENESS_LOW']]);
  });

  it('screening: a listed person is FAIL SCREENING_HIT; an unlisted one PASS', async () => {
    const hit = await engines().screening({ fullName: 'Carlos Eduardo Malvado Ferreira', cpf: '52998224725', dateOfBirth: '1975-03-14', nationality: 'BR' });
    assert.deepEqual([hit.outcome, hit.reasons, hit.modelVersion], ['FAIL', ['SCREENING_HIT'], 'ofac-sdn@fixture']);
    const clear = await engines().screening({ fullName: 'Joana Pereira Lima', cpf: '52998224725', dateOfBirth: '1991-03-09', nationality: null });
    assert.equal(clear.outcome, 'PASS');
  });

  it('ocr: nothing readable is FAIL OCR_UNREADABLE (a new picture), with its reasons and both model versions', async () => {
    const none = await engines({ lines: [] }).ocr(doc('CNH'), { fullName: 'Joana Pereira Lima', cpf: '52998224725', dateOfBirth: '1991-03-09', nationality: null });
    assert.equal(none.outcome, 'FAIL');
    assert.equal(none.reasons[0], 'OCR_UNREADABLE');
    assert.equal(none.modelVersion, 'det@1+rec@1');
  });
});
