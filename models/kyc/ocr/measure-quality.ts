/**
 * Exact-field accuracy of the OCR (createOcrEngine + extractDocumentFields) on the rendered documents
 * of models/kyc/documents against golden.json, also on two degraded copies of each made here (JPEG
 * quality 60; scaled to 70% then JPEG 75), and the latency per image observed (informal: it depends on
 * the host and its load). Writes quality.json beside this file.
 *
 *   node --import tsx models/kyc/ocr/measure-quality.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { decodeImage, resizeBilinear, type RgbImage } from '../../../subgraphs/kyc/src/domain/image/index';
import { extractDocumentFields } from '../../../subgraphs/kyc/src/domain/ocr/index';
import { createOcrEngine } from '../../../subgraphs/kyc/src/workers/ocr-engine';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const DOCS = fileURLToPath(new URL('../documents/', import.meta.url));
const FIELDS = ['documentType', 'fullName', 'cpf', 'dateOfBirth', 'documentNumber'] as const;
type Golden = Record<string, Record<(typeof FIELDS)[number], string>>;

const toJpeg = (img: RgbImage, quality: number): RgbImage => {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) rgba.set([img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!, 255], i * 4);
  return decodeImage(jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data);
};
const VARIANTS: Record<string, (img: RgbImage) => RgbImage> = {
  original: (img) => img,
  jpeg60: (img) => toJpeg(img, 60),
  'scale70+jpeg75': (img) => toJpeg(resizeBilinear(img, Math.round(img.width * 0.7), Math.round(img.height * 0.7)), 75),
};

const golden = JSON.parse(await readFile(join(DOCS, 'golden.json'), 'utf8')) as Golden;
const engine = await createOcrEngine({ provider: 'cpu', intraOpNumThreads: 1 });
const result: Record<string, unknown> = {};
const latencies: number[] = [];
for (const [variant, degrade] of Object.entries(VARIANTS)) {
  let exactFields = 0;
  let exactDocuments = 0;
  const perField = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<string, number>;
  const misses: string[] = [];
  for (const [file, expected] of Object.entries(golden)) {
    const image = degrade(decodeImage(await readFile(join(DOCS, file))));
    const started = performance.now();
    const fields = extractDocumentFields(await engine.recognize(image)) as Record<string, unknown>;
    if (variant === 'original') latencies.push(performance.now() - started);
    let all = true;
    for (const f of FIELDS) {
      if (fields[f] === expected[f]) {
        exactFields += 1;
        perField[f]! += 1;
      } else {
        all = false;
        misses.push(`${file}: ${f}`); // field names only: the values are (synthetic) personal data
      }
    }
    if (all) exactDocuments += 1;
  }
  const n = Object.keys(golden).length;
  result[variant] = {
    documents: n,
    exactFieldAccuracy: exactFields / (n * FIELDS.length),
    exactDocumentAccuracy: exactDocuments / n,
    perField: Object.fromEntries(Object.entries(perField).map(([f, k]) => [f, k / n])),
    misses,
  };
}
await engine.close();
latencies.sort((a, b) => a - b);
const quality = {
  measured: new Date().toISOString().slice(0, 10),
  models: 'PP-OCRv6 small det + rec (rapidocr 3.10.0), onnxruntime-node CPU, 1 intra-op thread',
  documents: 'models/kyc/documents (golden.json)',
  metric: 'a field counts when extractDocumentFields gives exactly the golden value',
  results: result,
  latencyMsPerImage: {
    note: `informal: 1000x640 documents, recognize() only, on a shared ${cpus().length}-core host under other load`,
    min: Math.round(latencies[0]!),
    median: Math.round(latencies[Math.floor(latencies.length / 2)]!),
    max: Math.round(latencies.at(-1)!),
  },
};
await writeFile(join(HERE, 'quality.json'), JSON.stringify(quality, null, 2) + '\n');
console.log(JSON.stringify(quality, null, 2));
