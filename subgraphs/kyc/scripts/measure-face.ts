/**
 * Face-match quality on the committed samples (models/kyc/face/samples): true-match and false-match
 * rates at FACE_MATCH_THRESHOLD, written to models/kyc/face/quality.json (docs/kyc-face.md).
 *
 *   node --import tsx subgraphs/kyc/scripts/measure-face.ts
 *
 * Same-person pairs: the photos of person "a" with each other (real, different photos), and every
 * sample against augmented copies of itself (flip, brightness, shift, rotation, downscale: easy
 * pairs, reported apart). Different-person pairs: every two samples of different people, and each
 * sample against the augmented copies of every other person.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { decodeImage, resizeBilinear, type RgbImage } from '../src/domain/image/index';
import { applySimilarity, cosineSimilarity, FACE_MATCH_THRESHOLD, FACERES_TEMPLATE, sampleBilinear } from '../src/domain/face/index';
import { createFaceEngine, readFaceManifest } from '../src/workers/face-engine';

const FACE_DIR = fileURLToPath(new URL('../../../models/kyc/face/', import.meta.url));
type Sample = { file: string; person: string; source: string };

function mapPixels(image: RgbImage, f: (v: number, x: number, y: number, c: number) => number): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * image.width + x) * 3 + c;
        data[i] = Math.max(0, Math.min(255, Math.round(f(image.data[i]!, x, y, c))));
      }
  return { width: image.width, height: image.height, data };
}

/** Rotation by `deg` about the centre and a shift of (dx, dy) pixels; grey outside. */
function warp(image: RgbImage, deg: number, dx: number, dy: number): RgbImage {
  const r = (deg * Math.PI) / 180;
  const cx = image.width / 2;
  const cy = image.height / 2;
  const t = { a: Math.cos(r), b: Math.sin(r), tx: 0, ty: 0 };
  return mapPixels(image, (_v, x, y, c) => {
    const p = applySimilarity(t, { x: x - cx - dx, y: y - cy - dy });
    return sampleBilinear(image.data, image.width, image.height, p.x + cx, p.y + cy, c, 40);
  });
}

const AUGMENTATIONS: Record<string, (i: RgbImage) => RgbImage> = {
  flip: (i) => mapPixels(i, (_v, x, y, c) => i.data[(y * i.width + (i.width - 1 - x)) * 3 + c]!),
  brighter: (i) => mapPixels(i, (v) => v * 1.25 + 10),
  darker: (i) => mapPixels(i, (v) => v * 0.7),
  shifted: (i) => warp(i, 0, 12, -8),
  rotated: (i) => warp(i, 10, 0, 0),
  downscaled: (i) => resizeBilinear(resizeBilinear(i, Math.round(i.width / 2), Math.round(i.height / 2)), i.width, i.height),
};

const rate = (xs: number[], t: number) => Math.round((xs.filter((v) => v >= t).length / Math.max(1, xs.length)) * 1e4) / 1e4;

type Stats = { pairs: number; matched: number; rate: number; min: number; max: number; mean: number };
function stats(values: number[]): Stats {
  const matched = values.filter((v) => v >= FACE_MATCH_THRESHOLD).length;
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  return { pairs: values.length, matched, rate: r4(matched / Math.max(1, values.length)), min: r4(Math.min(...values)), max: r4(Math.max(...values)), mean: r4(values.reduce((s, v) => s + v, 0) / Math.max(1, values.length)) };
}

async function main() {
  const index = JSON.parse(readFileSync(`${FACE_DIR}samples/index.json`, 'utf8')) as { samples: Sample[] };
  const engine = await createFaceEngine({ provider: 'cpu' });
  const detectMs: number[] = [];
  const embedMs: number[] = [];
  const undetected: string[] = [];
  const embedOne = async (image: RgbImage, label: string): Promise<Float32Array | undefined> => {
    let t = performance.now();
    const faces = await engine.detect(image);
    detectMs.push(performance.now() - t);
    if (faces.length !== 1) {
      undetected.push(`${label} (${faces.length} faces)`);
      return undefined;
    }
    t = performance.now();
    const e = await engine.embed(image, faces[0]!);
    embedMs.push(performance.now() - t);
    return e;
  };
  const originals: { s: Sample; e: Float32Array }[] = [];
  const augmented: { s: Sample; kind: string; e: Float32Array }[] = [];
  const spoof: number[] = [];
  const live: number[] = [];
  for (const s of index.samples) {
    const image = decodeImage(new Uint8Array(readFileSync(`${FACE_DIR}samples/${s.file}`)));
    const e = await embedOne(image, s.file);
    if (!e) continue;
    originals.push({ s, e });
    const face = (await engine.detect(image))[0]!;
    spoof.push(await engine.antiSpoof(image, face));
    live.push(await engine.passiveLiveness(image, face));
    for (const [kind, f] of Object.entries(AUGMENTATIONS)) {
      const ae = await embedOne(f(image), `${s.file}:${kind}`);
      if (ae) augmented.push({ s, kind, e: ae });
    }
  }
  const blanks = [0, 128, 255].map((v) => ({ width: 256, height: 192, data: new Uint8Array(256 * 192 * 3).fill(v) }));
  const blankFaces = (await Promise.all(blanks.map((b) => engine.detect(b)))).map((f) => f.length);

  const realSame: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < originals.length; i++)
    for (let j = i + 1; j < originals.length; j++) {
      const sim = cosineSimilarity(originals[i]!.e, originals[j]!.e);
      (originals[i]!.s.person === originals[j]!.s.person ? realSame : diff).push(sim);
    }
  const augSame: number[] = [];
  const augDiff: number[] = [];
  for (const o of originals)
    for (const a of augmented) {
      const sim = cosineSimilarity(o.e, a.e);
      if (o.s.file === a.s.file) augSame.push(sim);
      else if (o.s.person !== a.s.person) augDiff.push(sim);
    }
  let auc = 0;
  for (const s of realSame) for (const d of diff) auc += s > d ? 1 : s === d ? 0.5 : 0;
  const manifest = readFaceManifest();
  const mean = (xs: number[]) => Math.round((xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length)) * 10) / 10;
  const result = {
    measuredAt: new Date().toISOString().slice(0, 10),
    threshold: FACE_MATCH_THRESHOLD,
    alignTemplate: FACERES_TEMPLATE,
    models: Object.fromEntries(Object.entries(manifest).map(([k, m]) => [k, { name: m.name, sha256: m.sha256 }])),
    samples: { photos: index.samples.length, people: new Set(index.samples.map((s) => s.person)).size, augmentations: Object.keys(AUGMENTATIONS) },
    detection: { photosWithOneFace: originals.length, augmentedWithOneFace: augmented.length, augmentedTried: index.samples.length * Object.keys(AUGMENTATIONS).length, notOneFace: undetected, blankImageFaces: blankFaces },
    trueMatch: { realPhotosSamePerson: stats(realSame), augmentedSelf: stats(augSame) },
    falseMatch: { differentPeople: stats(diff), differentPeopleAugmented: stats(augDiff) },
    sweep: [0.55, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72, 0.75].map((t) => ({
      threshold: t,
      trueMatchRate: rate(realSame, t),
      falseMatchRate: rate([...diff, ...augDiff], t),
    })),
    aucRealSameVsDifferent: Math.round((auc / Math.max(1, realSame.length * diff.length)) * 1e4) / 1e4,
    passiveScoresOnSamples: { note: 'the samples are photos of a screen (no live/spoof ground truth)', antiSpoofMean: mean(spoof.map((v) => v * 100)) / 100, livenessMean: mean(live.map((v) => v * 100)) / 100 },
    cpuMs: { detectMean: mean(detectMs), embedMean: mean(embedMs) },
  };
  await engine.close();
  writeFileSync(`${FACE_DIR}quality.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ trueMatch: result.trueMatch, falseMatch: result.falseMatch, detection: result.detection, auc: result.aucRealSameVsDifferent }, null, 1));
}

await main();
