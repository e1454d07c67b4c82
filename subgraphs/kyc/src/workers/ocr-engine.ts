import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { InferenceError, openTensorModel, type OpenTensorModelOptions, type TensorModel, type TensorModelDescription } from '@baas/inference';
import type { RgbImage } from '../domain/image/index';
import { boxesFromProbabilityMap, sortBoxes, type DbOptions } from '../domain/ocr/db-postprocess';
import { ctcClasses, ctcGreedyDecode } from '../domain/ocr/ctc-decode';
import { prepareDetInput, type DetPreprocessOptions } from '../domain/ocr/det-preprocess';
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
  /**
   * Detector input size. Default OCR_DET_DEFAULTS (longer side at most 736, never scaled up): a
   * document photo needs no more, and the detector's cost grows with its pixels. rapidocr 3.10's own
   * (`{ limitType: 'min', limitSideLen: 736 }`) makes a 1000 x 640 document 1152 x 736.
   */
  det?: DetPreprocessOptions;
  /** The narrowest recogniser batch (default OCR_REC_MIN_WIDTH; rapidocr pads every batch to 320). */
  recMinWidth?: number;
  /** Lines per recogniser run (default 1 on CPU: no padding; REC_BATCH, 6, on CUDA). */
  recBatchSize?: number;
  /** Recogniser runs in flight at once (default OCR_REC_CONCURRENCY). */
  recConcurrency?: number;
  /** Called after each recognize() with where its time went (ms), for benchmarks and profiling. */
  onTimings?: (timings: OcrTimings) => void;
};

export type OcrTimings = { detPrepare: number; detRun: number; detPost: number; recJs: number; recRun: number; lines: number; recRuns: number; recColumns: number };

/** The engine's detector sizing: longer side at most 736, never scaled up (1000 x 640 -> 736 x 480). */
export const OCR_DET_DEFAULTS: DetPreprocessOptions = { limitType: 'max', limitSideLen: 736 };
/** The engine's narrowest recogniser input: no padding beyond the line itself (rapidocr: 320). */
export const OCR_REC_MIN_WIDTH = 48;
/** Recogniser runs in flight at once (1: on a loaded 2-core host more only contends; raise it on idle cores). */
export const OCR_REC_CONCURRENCY = 1;

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

  const detOptions = opts.det ?? OCR_DET_DEFAULTS;
  const recMinWidth = opts.recMinWidth ?? OCR_REC_MIN_WIDTH;
  // On CPU a batch saves nothing (the cost is per column) and pads; on CUDA batches fill the GPU.
  const batchSize = opts.recBatchSize ?? (rec.describe().provider === 'cuda' ? REC_BATCH : 1);
  const recConcurrency = Math.max(1, opts.recConcurrency ?? OCR_REC_CONCURRENCY);
  const onTimings = opts.onTimings;

  return {
    async recognize(image) {
      const t = { detPrepare: 0, detRun: 0, detPost: 0, recJs: 0, recRun: 0, lines: 0, recRuns: 0, recColumns: 0 };
      let mark = performance.now();
      const lap = (key: 'detPrepare' | 'detRun' | 'detPost' | 'recJs' | 'recRun') => {
        const now = performance.now();
        t[key] += now - mark;
        mark = now;
      };
      const prepared = prepareDetInput(image, detOptions);
      lap('detPrepare');
      const prob = (await det.run({ [detInput!]: prepared.input }, [detOutput!]))[detOutput!]!;
      lap('detRun');
      const boxes = sortBoxes(boxesFromProbabilityMap(prob.data, prepared.width, prepared.height, image.width, image.height, opts.db));
      lap('detPost');
      t.lines = boxes.length;
      if (boxes.length === 0) {
        onTimings?.(t);
        return [];
      }
      const crops = boxes.map((box) => cropTextLine(image, box));
      // Lines of similar width share a batch (as rapidocr), so little of each run is padding.
      const order = crops.map((_, i) => i).sort((a, b) => crops[a]!.width / crops[a]!.height - crops[b]!.width / crops[b]!.height);
      const decoded = new Array<{ text: string; confidence: number }>(crops.length);
      const batches: { ids: number[]; input: { data: Float32Array; dims: number[] } }[] = [];
      for (let start = 0; start < order.length; start += batchSize) {
        const ids = order.slice(start, start + batchSize);
        const input = prepareRecBatch(
          ids.map((i) => crops[i]!),
          { minWidth: recMinWidth },
        );
        t.recColumns += input.dims[0]! * input.dims[3]!;
        batches.push({ ids, input });
      }
      t.recRuns = batches.length;
      lap('recJs');
      // Runs in flight together: onnxruntime-node runs each off the main thread, so they share the cores.
      for (let start = 0; start < batches.length; start += recConcurrency) {
        const group = batches.slice(start, start + recConcurrency);
        const outs = await Promise.all(group.map((b) => rec.run({ [recInput!]: b.input }, [recOutput!])));
        lap('recRun');
        group.forEach((b, g) => {
          ctcGreedyDecode(outs[g]![recOutput!]!, classes).forEach((line, k) => {
            decoded[b.ids[k]!] = line;
          });
        });
        lap('recJs');
      }
      onTimings?.(t);
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
