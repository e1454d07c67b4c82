import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { isInferenceError } from '@baas/inference';
import { decodeImage } from '../../src/domain/image/index';
import { crossCheckApplicant, extractDocumentFields } from '../../src/domain/ocr/index';
import { createOcrEngine, OCR_MODELS_DIR, type OcrEngine } from '../../src/workers/ocr-engine';

// The real PP-OCRv6 models (models/kyc/ocr) on the rendered documents (models/kyc/documents): the
// fields must equal golden.json exactly. CPU, one thread: the same everywhere. No timing asserted.
const DOCS = fileURLToPath(new URL('../../../../models/kyc/documents/', import.meta.url));
type Golden = Record<string, { documentType: string; fullName: string; cpf: string; dateOfBirth: string; documentNumber: string }>;

describe('the OCR engine on the rendered documents', () => {
  let engine: OcrEngine;
  let golden: Golden;

  before(async () => {
    engine = await createOcrEngine({ provider: 'cpu', intraOpNumThreads: 1 });
    golden = JSON.parse(await readFile(join(DOCS, 'golden.json'), 'utf8')) as Golden;
  });
  after(async () => {
    await engine.close();
  });

  it('describes both models with the manifest sha256s and the dictionary', async () => {
    const manifest = JSON.parse(await readFile(join(OCR_MODELS_DIR, 'manifest.json'), 'utf8'));
    const d = engine.describe();
    assert.deepEqual([d.det.name, d.det.sha256, d.det.provider], ['ppocrv6-det', manifest.det.sha256, 'cpu']);
    assert.deepEqual([d.rec.name, d.rec.sha256, d.rec.provider], ['ppocrv6-rec', manifest.rec.sha256, 'cpu']);
    assert.equal(d.dictionarySha256, manifest.rec.dictionarySha256);
    assert.equal(d.classes, 18710);
    assert.equal(engine.isReady(), true);
  });

  it('reads every golden field exactly off every rendered document', async () => {
    const files = Object.keys(golden);
    assert.ok(files.length >= 6);
    for (const file of files) {
      const lines = await engine.recognize(decodeImage(await readFile(join(DOCS, file))));
      const { confidence, ...fields } = extractDocumentFields(lines);
      assert.deepEqual(fields, golden[file], file);
      assert.ok(confidence > 0.9, `${file}: confidence ${confidence}`);
    }
  });

  it('backs the declared applicant on a CNH, and flags the under-18 RG holder', async () => {
    const read = async (file: string) => extractDocumentFields(await engine.recognize(decodeImage(await readFile(join(DOCS, file)))));
    const joao = golden['cnh-joao-conceicao-araujo.png']!;
    const today = { today: '2026-12-06' };
    assert.deepEqual(crossCheckApplicant(await read('cnh-joao-conceicao-araujo.png'), { fullName: 'João Conceição Araújo', cpf: joao.cpf, dateOfBirth: joao.dateOfBirth }, today).reasons, []);
    const jose = golden['rg-jose-estevao-conceicao.png']!;
    assert.deepEqual(crossCheckApplicant(await read('rg-jose-estevao-conceicao.png'), { fullName: jose.fullName, cpf: jose.cpf, dateOfBirth: jose.dateOfBirth }, today).reasons, ['OCR_UNDERAGE']);
  });

  it('finds no text on a blank page', async () => {
    const blank = { width: 400, height: 300, data: new Uint8Array(400 * 300 * 3).fill(255) };
    assert.deepEqual(await engine.recognize(blank), []);
  });
});

describe('createOcrEngine refuses files that are not the manifest\'s', () => {
  it('refuses a dictionary whose sha256 differs (MODEL_CHECKSUM_MISMATCH), before loading any model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kyc-ocr-'));
    try {
      const manifest = JSON.parse(await readFile(join(OCR_MODELS_DIR, 'manifest.json'), 'utf8'));
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
      await writeFile(join(dir, manifest.rec.dictionary), 'a\nb\n');
      await assert.rejects(createOcrEngine({ modelsDir: dir, provider: 'cpu' }), (e) => isInferenceError(e, 'MODEL_CHECKSUM_MISMATCH'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
