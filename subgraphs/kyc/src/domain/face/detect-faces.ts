import { BLAZEFACE_SHORT_RANGE_ANCHORS, generateSsdAnchors, type Anchor } from './anchors';
import { BLAZEFACE_DECODE, decodeDetections, weightedNms, type DecodeOptions } from './decode-detections';
import type { FaceBox } from './face-types';
import { toFaceBox, type Letterbox } from './letterbox';

let shortRangeAnchors: Anchor[] | undefined;

/** The 896 anchors of the short-range (128x128) BlazeFace model, made once. */
export function blazeFaceAnchors(): Anchor[] {
  shortRangeAnchors ??= generateSsdAnchors(BLAZEFACE_SHORT_RANGE_ANCHORS);
  return shortRangeAnchors;
}

export type FacePostprocessOptions = Partial<DecodeOptions> & {
  /** Weighted-NMS overlap (MediaPipe: 0.3). */
  iouThreshold?: number;
  /** Faces narrower than this fraction of the image's longer side are dropped (default 0.05). */
  minFaceFraction?: number;
};

/**
 * The short-range model's outputs (scores of the 16x16x2 and 8x8x6 heads, their 16-value
 * regressions) -> faces in image pixels, best first.
 */
export function facesFromBlazeFace(
  heads: { scores16: Float32Array; scores8: Float32Array; boxes16: Float32Array; boxes8: Float32Array },
  box: Letterbox,
  options: FacePostprocessOptions = {},
): FaceBox[] {
  const scores = new Float32Array(heads.scores16.length + heads.scores8.length);
  scores.set(heads.scores16, 0);
  scores.set(heads.scores8, heads.scores16.length);
  const boxes = new Float32Array(heads.boxes16.length + heads.boxes8.length);
  boxes.set(heads.boxes16, 0);
  boxes.set(heads.boxes8, heads.boxes16.length);
  const decode = { ...BLAZEFACE_DECODE, ...pick(options) };
  const detections = weightedNms(decodeDetections(scores, boxes, blazeFaceAnchors(), decode), options.iouThreshold ?? 0.3);
  const minFraction = options.minFaceFraction ?? 0.05;
  return detections.filter((d) => d.w >= minFraction).map((d) => toFaceBox(d, box));
}

function pick(o: FacePostprocessOptions): Partial<DecodeOptions> {
  const out: Partial<DecodeOptions> = {};
  if (o.inputSize !== undefined) out.inputSize = o.inputSize;
  if (o.minScore !== undefined) out.minScore = o.minScore;
  if (o.scoreClip !== undefined) out.scoreClip = o.scoreClip;
  return out;
}
