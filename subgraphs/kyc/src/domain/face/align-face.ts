import type { RgbImage } from '../image';
import { keypoint, type FaceBox, type Point } from './face-types';
import { sampleRgb } from './letterbox';

/**
 * Where the eyes land in the aligned crop, as fractions of its side: the image-left eye at
 * (0.5 - eyeDistance / 2, eyeY), the image-right eye at (0.5 + eyeDistance / 2, eyeY). The values
 * were chosen on the committed samples (docs/kyc-face.md: a grid of eyeDistance 0.18-0.45 and eyeY
 * 0.35-0.45; tighter crops separated people worse): the crop holds the whole head with some margin,
 * roughly the loose face-mesh crop @vladmandic/human feeds faceres.
 */
export type AlignTemplate = { size: number; eyeDistance: number; eyeY: number };

export const FACERES_TEMPLATE: AlignTemplate = { size: 224, eyeDistance: 0.24, eyeY: 0.35 };

/**
 * A similarity transform (rotation, uniform scale, translation) `src = origin + M (dst - target)`
 * mapping crop pixels back to image pixels, from two eye correspondences.
 */
export type Similarity = { a: number; b: number; tx: number; ty: number };

/** The transform taking crop points to image points so that dst eyes land on src eyes. */
export function similarityFromEyes(srcLeft: Point, srcRight: Point, dstLeft: Point, dstRight: Point): Similarity {
  const sdx = srcRight.x - srcLeft.x;
  const sdy = srcRight.y - srcLeft.y;
  const ddx = dstRight.x - dstLeft.x;
  const ddy = dstRight.y - dstLeft.y;
  const dd = ddx * ddx + ddy * ddy;
  if (!(dd > 0)) throw new RangeError('align: the template eyes coincide');
  // Complex division (sdx + i sdy) / (ddx + i ddy) = a + i b: rotation and scale in one.
  const a = (sdx * ddx + sdy * ddy) / dd;
  const b = (sdy * ddx - sdx * ddy) / dd;
  return { a, b, tx: srcLeft.x - (a * dstLeft.x - b * dstLeft.y), ty: srcLeft.y - (b * dstLeft.x + a * dstLeft.y) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

/** The eyes in image order (image-left first), whatever way the detector named them. */
export function eyesOf(face: FaceBox): [Point, Point] {
  const r = keypoint(face, 'rightEye');
  const l = keypoint(face, 'leftEye');
  return r.x <= l.x ? [r, l] : [l, r];
}

/**
 * Rotates, scales and crops the face so the eyes sit on the template's points (bilinear sampling,
 * black outside the image): the aligned input of the embedding model.
 */
export function alignFace(image: RgbImage, face: FaceBox, template: AlignTemplate = FACERES_TEMPLATE): RgbImage {
  const { size, eyeDistance, eyeY } = template;
  const [left, right] = eyesOf(face);
  const t = similarityFromEyes(left, right, { x: size * (0.5 - eyeDistance / 2), y: size * eyeY }, { x: size * (0.5 + eyeDistance / 2), y: size * eyeY });
  const out = new Uint8Array(size * size * 3);
  const px = new Float64Array(3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // applySimilarity(t, { x: x + 0.5, y: y + 0.5 }), inlined (no object per pixel).
      const qx = x + 0.5;
      const qy = y + 0.5;
      const ix = t.a * qx - t.b * qy + t.tx;
      const iy = t.b * qx + t.a * qy + t.ty;
      const o = (y * size + x) * 3;
      sampleRgb(image.data, image.width, image.height, ix - 0.5, iy - 0.5, 0, px);
      out[o] = Math.round(px[0]!);
      out[o + 1] = Math.round(px[1]!);
      out[o + 2] = Math.round(px[2]!);
    }
  }
  return { width: size, height: size, data: out };
}

/** An RGB image as NHWC float32 scaled from [0, 255] to [0, `max`]. */
export function imageTensor(image: RgbImage, max: number): Float32Array {
  const out = new Float32Array(image.data.length);
  const k = max / 255;
  for (let i = 0; i < out.length; i++) out[i] = image.data[i]! * k;
  return out;
}
