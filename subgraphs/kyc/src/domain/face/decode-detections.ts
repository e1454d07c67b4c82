import type { Anchor } from './anchors';
import type { Detection } from './face-types';

/**
 * MediaPipe TensorsToDetectionsCalculator options of face_detection_short_range: 16 values per
 * anchor (x, y, w, h, then six x,y keypoints), offsets in input pixels relative to the anchor.
 */
export type DecodeOptions = {
  /** The model's input side in pixels (x/y/w/h scale), 128 for the short-range model. */
  inputSize: number;
  /** Sigmoid of the clipped raw score must reach this (MediaPipe: 0.5). */
  minScore: number;
  /** Raw scores are clipped to +-this before the sigmoid (MediaPipe: 100). */
  scoreClip?: number;
};

export const BLAZEFACE_DECODE: DecodeOptions = { inputSize: 128, minScore: 0.5, scoreClip: 100 };
export const VALUES_PER_ANCHOR = 16;
const KEYPOINT_COUNT = 6;

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Raw scores `[N]` and boxes `[N, 16]` -> detections above the score threshold (normalised 0..1). */
export function decodeDetections(scores: Float32Array, boxes: Float32Array, anchors: readonly Anchor[], o: DecodeOptions): Detection[] {
  if (scores.length !== anchors.length || boxes.length !== anchors.length * VALUES_PER_ANCHOR) {
    throw new RangeError(`decode: expected ${anchors.length} scores and ${anchors.length * VALUES_PER_ANCHOR} box values`);
  }
  const clip = o.scoreClip ?? 100;
  const out: Detection[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const raw = Math.min(clip, Math.max(-clip, scores[i]!));
    const score = sigmoid(raw);
    if (!(score >= o.minScore)) continue;
    const a = anchors[i]!;
    const b = i * VALUES_PER_ANCHOR;
    const keypoints: number[] = [];
    for (let k = 0; k < KEYPOINT_COUNT; k++) {
      keypoints.push((boxes[b + 4 + 2 * k]! / o.inputSize) * a.w + a.xCenter);
      keypoints.push((boxes[b + 5 + 2 * k]! / o.inputSize) * a.h + a.yCenter);
    }
    out.push({
      cx: (boxes[b]! / o.inputSize) * a.w + a.xCenter,
      cy: (boxes[b + 1]! / o.inputSize) * a.h + a.yCenter,
      w: (boxes[b + 2]! / o.inputSize) * a.w,
      h: (boxes[b + 3]! / o.inputSize) * a.h,
      score,
      keypoints,
    });
  }
  return out;
}

export function intersectionOverUnion(a: Detection, b: Detection): number {
  const x0 = Math.max(a.cx - a.w / 2, b.cx - b.w / 2);
  const y0 = Math.max(a.cy - a.h / 2, b.cy - b.h / 2);
  const x1 = Math.min(a.cx + a.w / 2, b.cx + b.w / 2);
  const y1 = Math.min(a.cy + a.h / 2, b.cy + b.h / 2);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * MediaPipe's WEIGHTED non-max suppression (NonMaxSuppressionCalculator): take the best remaining
 * detection, gather every remaining one overlapping it by more than `iouThreshold` (MediaPipe: 0.3),
 * replace the group by the score-weighted mean of its boxes and keypoints, keeping the best score.
 */
export function weightedNms(detections: readonly Detection[], iouThreshold = 0.3): Detection[] {
  let remaining = [...detections].sort((p, q) => q.score - p.score);
  const out: Detection[] = [];
  while (remaining.length > 0) {
    const top = remaining[0]!;
    const group: Detection[] = [];
    const rest: Detection[] = [];
    for (const d of remaining) (intersectionOverUnion(top, d) > iouThreshold || d === top ? group : rest).push(d);
    remaining = rest;
    if (group.length === 1) {
      out.push(top);
      continue;
    }
    let total = 0;
    const acc = { cx: 0, cy: 0, w: 0, h: 0, keypoints: new Array<number>(top.keypoints.length).fill(0) };
    for (const d of group) {
      total += d.score;
      // MediaPipe averages the corners; for centre/size boxes that is the same weighted mean.
      acc.cx += d.cx * d.score;
      acc.cy += d.cy * d.score;
      acc.w += d.w * d.score;
      acc.h += d.h * d.score;
      d.keypoints.forEach((v, k) => (acc.keypoints[k]! += v * d.score));
    }
    out.push({
      cx: acc.cx / total,
      cy: acc.cy / total,
      w: acc.w / total,
      h: acc.h / total,
      score: top.score,
      keypoints: acc.keypoints.map((v) => v / total),
    });
  }
  return out;
}
