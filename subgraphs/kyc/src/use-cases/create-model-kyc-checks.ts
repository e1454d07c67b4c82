import type { Applicant } from '../domain/applicant';
import type { FaceBox } from '../domain/face/index';
import { compareEmbeddings, FACE_MATCH_THRESHOLD } from '../domain/face/index';
import { crop, decodeImage, type RgbImage } from '../domain/image/index';
import type { CheckResult } from '../domain/kyc-decision';
import { crossCheckApplicant, extractDocumentFields, type OcrLine } from '../domain/ocr/index';
import { SCREENING_MATCH_THRESHOLD, screenName, type ScreeningIndex } from '../domain/screening/index';
import type { KycCheckDocument, KycChecks } from './kyc-checks';

type ModelDescription = { name: string; version: string };

/** What the checks need of the OCR engine (workers/ocr-engine.ts createOcrEngine). */
export type OcrEnginePort = { recognize(image: RgbImage): Promise<OcrLine[]>; describe(): { rec: ModelDescription; det: ModelDescription } };
/** What the checks need of the face engine (workers/face-engine.ts createFaceEngine). */
export type FaceEnginePort = {
  detect(image: RgbImage): Promise<FaceBox[]>;
  embed(image: RgbImage, face: FaceBox): Promise<Float32Array>;
  antiSpoof(image: RgbImage, face: FaceBox): Promise<number>;
  passiveLiveness(image: RgbImage, face: FaceBox): Promise<number>;
  describe(): { embedding: ModelDescription; antispoof: ModelDescription; liveness: ModelDescription; detector: ModelDescription };
};
/** The screening index of the active list versions (rebuilt by the caller when a list changes) and a name for those versions. */
export type ScreeningPort = { index(): Promise<ScreeningIndex>; version(): Promise<string> };

export type ModelChecksOptions = {
  /** Face similarity at or above: PASS (default FACE_MATCH_THRESHOLD); within `faceMargin` below it: UNCERTAIN. */
  faceThreshold?: number;
  faceMargin?: number;
  /** Passive liveness (the lower of antispoof and livenessnet) at or above: PASS; below: UNCERTAIN (the models are uncalibrated, docs/kyc-face.md: a person reviews, nobody is denied by them). */
  livenessPass?: number;
  /** A best screening hit at or above SCREENING_MATCH_THRESHOLD: FAIL SCREENING_HIT; within this margin below: UNCERTAIN. */
  screeningMargin?: number;
  /** The day ages are counted on (tests); default today. */
  today?: () => string;
};

const version = (m: ModelDescription) => `${m.name}@${m.version}`;
/** OCR reasons that say the document could not be read (a new picture helps). */
const UNREADABLE = new Set(['OCR_DOCUMENT_UNKNOWN', 'OCR_NAME_MISSING', 'OCR_CPF_MISSING', 'OCR_DOB_MISSING']);

/**
 * The KycChecks port over the ONNX engines and the sanctions index: the real checks, for the
 * composition root to wire (`createKycSubgraph(config, logger, { checks })`). Images are decoded
 * here (already sniffed at upload); nothing is logged. Each result names its model versions.
 */
export function createModelKycChecks(engines: { ocr: OcrEnginePort; face: FaceEnginePort; screening: ScreeningPort }, opts: ModelChecksOptions = {}): KycChecks {
  const faceThreshold = opts.faceThreshold ?? FACE_MATCH_THRESHOLD;
  const faceMargin = opts.faceMargin ?? 0.04;
  const livenessPass = opts.livenessPass ?? 0.5;
  const screeningMargin = opts.screeningMargin ?? 0.05;
  const image = (doc: KycCheckDocument) => decodeImage(doc.bytes);
  const faceVersion = () => version(engines.face.describe().embedding);
  /**
   * A face found small in a large picture (a document's photo box: the detector sees the whole picture at
   * 128 px) is found again in a square crop around it, where it fills the detector's input: its landmarks,
   * and so the alignment the embedding depends on, come out precise (a CNH's portrait: similarity 0.55 to
   * its holder's selfie without, 0.9 with). A face already large is taken as found.
   */
  const closeUp = async (img: RgbImage, box: FaceBox): Promise<{ image: RgbImage; face: FaceBox }> => {
    if (box.width >= img.width * 0.4) return { image: img, face: box };
    const side = Math.min(Math.max(box.width, box.height) * 2.2, Math.max(img.width, img.height));
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const region = crop(img, { x: cx - side / 2, y: cy - side / 2, width: side, height: side });
    const [again] = await engines.face.detect(region);
    return again ? { image: region, face: again } : { image: img, face: box };
  };

  return {
    async ocr(document: KycCheckDocument, applicant: Applicant): Promise<CheckResult> {
      const d = engines.ocr.describe();
      const modelVersion = `${version(d.det)}+${version(d.rec)}`;
      const fields = extractDocumentFields(await engines.ocr.recognize(image(document)));
      const cross = crossCheckApplicant(fields, applicant, opts.today ? { today: opts.today() } : {});
      if (cross.passed) return { outcome: 'PASS', score: fields.confidence, reasons: [], modelVersion };
      const reasons = cross.reasons.some((r) => UNREADABLE.has(r)) ? ['OCR_UNREADABLE', ...cross.reasons] : [...cross.reasons];
      return { outcome: 'FAIL', score: fields.confidence, reasons, modelVersion };
    },

    async face(selfie: KycCheckDocument, document: KycCheckDocument): Promise<CheckResult> {
      const modelVersion = faceVersion();
      const [selfieImage, documentImage] = [image(selfie), image(document)];
      const [selfieFaces, documentFaces] = await Promise.all([engines.face.detect(selfieImage), engines.face.detect(documentImage)]);
      if (selfieFaces.length === 0 || documentFaces.length === 0) return { outcome: 'FAIL', score: null, reasons: ['FACE_NOT_FOUND'], modelVersion };
      // A document may carry a second, smaller ghost portrait: its best face is the one compared. A selfie shows one person.
      if (selfieFaces.length > 1) return { outcome: 'FAIL', score: null, reasons: ['FACE_MULTIPLE'], modelVersion };
      const [s, d] = await Promise.all([closeUp(selfieImage, selfieFaces[0]!), closeUp(documentImage, documentFaces[0]!)]);
      const [a, b] = await Promise.all([engines.face.embed(s.image, s.face), engines.face.embed(d.image, d.face)]);
      const { similarity } = compareEmbeddings(a, b, faceThreshold);
      if (similarity >= faceThreshold) return { outcome: 'PASS', score: similarity, reasons: [], modelVersion };
      if (similarity >= faceThreshold - faceMargin) return { outcome: 'UNCERTAIN', score: similarity, reasons: ['FACE_NEAR_THRESHOLD'], modelVersion };
      return { outcome: 'FAIL', score: similarity, reasons: ['FACE_MISMATCH'], modelVersion };
    },

    async liveness(selfie: KycCheckDocument): Promise<CheckResult> {
      const d = engines.face.describe();
      const modelVersion = `${version(d.antispoof)}+${version(d.liveness)}`;
      const img = image(selfie);
      const faces = await engines.face.detect(img);
      if (faces.length !== 1) return { outcome: 'UNCERTAIN', score: null, reasons: [faces.length === 0 ? 'FACE_NOT_FOUND' : 'FACE_MULTIPLE'], modelVersion };
      const near = await closeUp(img, faces[0]!);
      const [spoof, live] = await Promise.all([engines.face.antiSpoof(near.image, near.face), engines.face.passiveLiveness(near.image, near.face)]);
      const score = Math.min(spoof, live);
      return score >= livenessPass ? { outcome: 'PASS', score, reasons: [], modelVersion } : { outcome: 'UNCERTAIN', score, reasons: ['LIVENESS_LOW'], modelVersion };
    },

    async screening(applicant: Applicant): Promise<CheckResult> {
      const [index, modelVersion] = await Promise.all([engines.screening.index(), engines.screening.version()]);
      // No list loaded (a deployment whose operator has not imported them yet): nobody passes unseen, a person reviews.
      if (modelVersion === '') return { outcome: 'UNCERTAIN', score: null, reasons: ['SCREENING_LISTS_MISSING'], modelVersion: 'none' };
      const hits = screenName(index, { fullName: applicant.fullName, dateOfBirth: applicant.dateOfBirth, ...(applicant.nationality ? { country: applicant.nationality } : {}), kind: 'INDIVIDUAL' }, { threshold: SCREENING_MATCH_THRESHOLD - screeningMargin });
      const best = hits.reduce((m, h) => Math.max(m, h.score), 0);
      if (best >= SCREENING_MATCH_THRESHOLD) return { outcome: 'FAIL', score: best, reasons: ['SCREENING_HIT'], modelVersion };
      if (hits.length > 0) return { outcome: 'UNCERTAIN', score: best, reasons: ['SCREENING_NEAR_MATCH'], modelVersion };
      return { outcome: 'PASS', score: best, reasons: [], modelVersion };
    },
  };
}
