import type { TextBox } from './ocr-types';

/**
 * DB (Differentiable Binarization) post-processing, after rapidocr 3.10's DBPostProcess with its
 * defaults (thresh 0.3, box_thresh 0.5, unclip_ratio 1.6, dilation by a 2x2 kernel, `fast` score,
 * min_size 3, max_candidates 1000), for upright text: each 8-connected region of the binarised map
 * gives an axis-aligned rectangle (OpenCV's minAreaRect of an upright text region is that rectangle);
 * its score is the mean probability inside it; it is grown by area * unclip_ratio / perimeter on
 * every side (pyclipper's offset of a rectangle), scaled to the original image, clipped, and kept if
 * wider and taller than 3 pixels. Rotated text is out of scope (document photos are upright).
 */
export type DbOptions = { thresh?: number; boxThresh?: number; unclipRatio?: number; maxCandidates?: number; dilate?: boolean };
export type DetectedBox = TextBox & { score: number };

const MIN_SIZE = 3;

export function boxesFromProbabilityMap(
  prob: Float32Array,
  mapWidth: number,
  mapHeight: number,
  imageWidth: number,
  imageHeight: number,
  opts: DbOptions = {},
): DetectedBox[] {
  const thresh = opts.thresh ?? 0.3;
  const boxThresh = opts.boxThresh ?? 0.5;
  const unclipRatio = opts.unclipRatio ?? 1.6;
  const maxCandidates = opts.maxCandidates ?? 1000;
  if (prob.length !== mapWidth * mapHeight) throw new RangeError('the probability map does not match its size');
  let mask: Uint8Array = new Uint8Array(mapWidth * mapHeight);
  for (let i = 0; i < mask.length; i++) mask[i] = prob[i]! > thresh ? 1 : 0;
  if (opts.dilate ?? true) mask = dilate2x2(mask, mapWidth, mapHeight);
  const regions = connectedRegions(mask, mapWidth, mapHeight).slice(0, maxCandidates);
  const boxes: DetectedBox[] = [];
  for (const r of regions) {
    const w = r.x1 - r.x0;
    const h = r.y1 - r.y0;
    if (Math.min(w, h) < MIN_SIZE) continue;
    const score = meanInside(prob, mapWidth, r.x0, r.y0, r.x1, r.y1);
    if (score < boxThresh) continue;
    const d = (w * h * unclipRatio) / (2 * (w + h));
    if (Math.min(w, h) + 2 * d < MIN_SIZE + 2) continue;
    const sx = (v: number) => clamp(Math.round((v / mapWidth) * imageWidth), 0, imageWidth - 1);
    const sy = (v: number) => clamp(Math.round((v / mapHeight) * imageHeight), 0, imageHeight - 1);
    const x0 = sx(r.x0 - d);
    const x1 = sx(r.x1 + d);
    const y0 = sy(r.y0 - d);
    const y1 = sy(r.y1 + d);
    if (x1 - x0 <= 3 || y1 - y0 <= 3) continue;
    boxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score });
  }
  return boxes;
}

/**
 * Reading order as rapidocr's sorted_boxes: by top edge; boxes whose tops are within `lineThreshold`
 * pixels of the previous one in that order are one line, read left to right.
 */
export function sortBoxes<T extends TextBox>(boxes: readonly T[], lineThreshold = 10): T[] {
  const byY = [...boxes].sort((a, b) => a.y - b.y);
  let line = 0;
  const keyed = byY.map((box, i) => {
    if (i > 0 && box.y - byY[i - 1]!.y >= lineThreshold) line += 1;
    return { box, line };
  });
  return keyed.sort((a, b) => a.line - b.line || a.box.x - b.box.x).map((k) => k.box);
}

/** OpenCV dilate with a 2x2 kernel of ones (anchor at its centre): each pixel is the max of itself and its left, upper and upper-left neighbours. */
function dilate2x2(mask: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      out[i] = mask[i]! | (x > 0 ? mask[i - 1]! : 0) | (y > 0 ? mask[i - w]! : 0) | (x > 0 && y > 0 ? mask[i - w - 1]! : 0);
    }
  }
  return out;
}

type Region = { x0: number; y0: number; x1: number; y1: number };

/** Bounding boxes (pixel centres, inclusive) of the 8-connected regions of 1s, in scan order. */
export function connectedRegions(mask: Uint8Array, w: number, h: number): Region[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const regions: Region[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    const r = { x0: w, y0: h, x1: -1, y1: -1 };
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % w;
      const y = (i - x) / w;
      if (x < r.x0) r.x0 = x;
      if (x > r.x1) r.x1 = x;
      if (y < r.y0) r.y0 = y;
      if (y > r.y1) r.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const j = ny * w + nx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    regions.push(r);
  }
  return regions;
}

function meanInside(prob: Float32Array, w: number, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) sum += prob[y * w + x]!;
  return sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
