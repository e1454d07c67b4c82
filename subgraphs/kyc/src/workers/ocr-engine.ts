import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceError, openTensorModel, type OpenTensorModelOptions, type TensorModel, type TensorModelDescription } from '@baas/inference';
import type { RgbImage } from '../domain/image/index';
import { boxesFromProbabilityMap, sortBoxes, type DbOptions } from '../domain/ocr/db-postprocess';
import { ctcClasses, ctcGreedyDecode } from '../domain/ocr/ctc-decode';
import { prepareDetInput } from '../domain/ocr/det-preprocess';
import type { OcrLine } from '../domain/ocr/ocr-types';
import { cropTextLine, prepareRecBatch, REC_BATCH } from '../domain/ocr/rec-preprocess';

/** The repository's models/kyc/ocr/ (ONNX files, dictionary, manifest.json). */
export const OCR_MODELS_DIR = fileURLToPath(new URL('../../../../models/kyc/ocr/', import.meta.url));
/** Lines read with a lower mean character probability are dropped (rapidocr Global.text_score). */
export const OCR_MIN_LINE_CONFIDENCE = 0.5;

type ManifestEntry = { name: string; version: string; file: string; sha256: string; dictionary?: string; dictionarySha256?: string; classes?: number };

export type OcrEngineOptions = Pick<OpenTensorModelOptions, 'provider' | 'intraOpNumThreads' | 'logger' | 'metrics' | 'gpuPresent' | 'cudaDeviceId'> & {
  /** Default the repository's models/kyc/ocr/. */
  modelsDir?: string;
  /** Default OCR_MIN_LINE_CONFIDENCE. */
  minLineConfidence?: number;
  db?: DbOptions;
};

export type OcrEngineDescription = { det: TensorModelDescription; rec: TensorModelDescription; dictionarySha256: string; classes: number };

export type OcrEngine = {
  /** The text lines of an upright image, in reading order (top to bottom, then left to right). */
  recognize(image: RgbImage): Promise<OcrLine[]>;
  describe(): OcrEngineDescription;
  isReady(): boolean;
  close(): Promise<void>;
};

/**
 * The PP-OCRv6 detector and recogniser (models/kyc/ocr, from PyPI rapidocr 3.10.0) loaded once at
 * start through @baas/inference: both sha256s and the dictionary's are manifest.json's (anything
 * else is refused), CPU by default or CUDA when configured and present. The pipeline follows
 * rapidocr's (domain/ocr): detect, crop each line, recognise in batches of lines of similar width,
 * greedy CTC decoding. Never logs pixels or text.
 */
export async function createOcrEngine(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
  const dir = opts.modelsDir ?? OCR_MODELS_DIR;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { det: ManifestEntry; rec: ManifestEntry };
  const { det: detEntry, rec: recEntry } = manifest;
  if (!recEntry.dictionary || !recEntry.dictionarySha256) throw new InferenceError('MODEL_SPEC_INVALID', 'The OCR manifest names no recognition dictionary.');
  const dictionaryBytes = readFileSync(join(dir, recEntry.dictionary));
  const dictionarySha256 = createHash('sha256').update(dictionaryBytes).digest('hex');
  if (dictionarySha256 !== recEntry.dictionarySha256) {
    throw new InferenceError('MODEL_CHECKSUM_MISMATCH', `OCR dictionary ${recEntry.dictionary} has sha256 ${dictionarySha256}, expected ${recEntry.dictionarySha256}.`);
  }
  const classes = ctcClasses(dictionaryBytes.toString('utf8'));
  if (recEntry.classes !== undefined && recEntry.classes !== classes.length) {
    throw new InferenceError('MODEL_SPEC_INVALID', `The OCR dictionary gives ${classes.length} classes, the manifest ${recEntry.classes}.`);
  }
  const modelOptions = {
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.gpuPresent ? { gpuPresent: opts.gpuPresent } : {}),
    ...(opts.cudaDeviceId !== undefined ? { cudaDeviceId: opts.cudaDeviceId } : {}),
  };
  const spec = (e: ManifestEntry) => ({ name: e.name, version: e.version, path: join(dir, e.file), sha256: e.sha256 });
  const det = await openTensorModel(spec(detEntry), { ...modelOptions, warmUp: { x: { data: new Float32Array(3 * 32 * 32), dims: [1, 3, 32, 32] } } });
  let rec: TensorModel;
  try {
    rec = await openTensorModel(spec(recEntry), { ...modelOptions, warmUp: { x: { data: new Float32Array(3 * 48 * 320), dims: [1, 3, 48, 320] } } });
  } catch (err) {
    await det.close();
    throw err;
  }
  const minConfidence = opts.minLineConfidence ?? OCR_MIN_LINE_CONFIDENCE;
  const [detInput] = det.describe().inputNames;
  const [detOutput] = det.describe().outputNames;
  const [recInput] = rec.describe().inputNames;
  const [recOutput] = rec.describe().outputNames;

  return {
    async recognize(image) {
      const prepared = prepareDetInput(image);
      const prob = (await det.run({ [detInput!]: prepared.input }, [detOutput!]))[detOutput!]!;
      const boxes = sortBoxes(boxesFromProbabilityMap(prob.data, prepared.width, prepared.height, image.width, image.height, opts.db));
      if (boxes.length === 0) return [];
      const crops = boxes.map((box) => cropTextLine(image, box));
      // Lines of similar width share a batch (as rapidocr), so little of each run is padding.
      const order = crops.map((_, i) => i).sort((a, b) => crops[a]!.width / crops[a]!.height - crops[b]!.width / crops[b]!.height);
      const decoded = new Array<{ text: string; confidence: number }>(crops.length);
      for (let start = 0; start < order.length; start += REC_BATCH) {
        const ids = order.slice(start, start + REC_BATCH);
        const input = prepareRecBatch(ids.map((i) => crops[i]!));
        const out = (await rec.run({ [recInput!]: input }, [recOutput!]))[recOutput!]!;
        ctcGreedyDecode(out, classes).forEach((line, k) => {
          decoded[ids[k]!] = line;
        });
      }
      return boxes
        .map((b, i) => ({ text: decoded[i]!.text, confidence: decoded[i]!.confidence, box: { x: b.x, y: b.y, width: b.width, height: b.height } }))
        .filter((line) => line.text.length > 0 && line.confidence >= minConfidence);
    },
    describe: () => ({ det: det.describe(), rec: rec.describe(), dictionarySha256, classes: classes.length }),
    isReady: () => det.isReady() && rec.isReady(),
    async close() {
      await Promise.all([det.close(), rec.close()]);
    },
  };
}
