import type { RgbImage } from '../image';
import type { Detection, FaceBox } from './face-types';

/** How the image sits in the square model input: the square's side and the padding, in image pixels. */
export type Letterbox = { side: number; padX: number; padY: number };

export function letterboxOf(image: { width: number; height: number }): Letterbox {
  const side = Math.max(image.width, image.height);
  return { side, padX: (side - image.width) / 2, padY: (side - image.height) / 2 };
}

/**
 * The image letterboxed (centred, padded with black; MediaPipe keeps the aspect ratio the same way)
 * and resized bilinearly to `size` x `size`, as NHWC float32 scaled from [0, 255] to [lo, hi].
 */
export function letterboxTensor(image: RgbImage, size: number, lo = -1, hi = 1): Float32Array {
  const { side, padX, padY } = letterboxOf(image);
  const out = new Float32Array(size * size * 3);
  const scale = side / size;
  const k = (hi - lo) / 255;
  const { width: w, height: h, data } = image;
  const px = new Float64Array(3);
  for (let y = 0; y < size; y++) {
    const sy = (y + 0.5) * scale - 0.5 - padY;
    for (let x = 0; x < size; x++) {
      const sx = (x + 0.5) * scale - 0.5 - padX;
      const o = (y * size + x) * 3;
      sampleRgb(data, w, h, sx, sy, 0, px);
      out[o] = lo + k * px[0]!;
      out[o + 1] = lo + k * px[1]!;
      out[o + 2] = lo + k * px[2]!;
    }
  }
  return out;
}

/** Bilinear sample of channel `c` at (x, y) in pixel-centre coordinates; `outside` beyond the image. */
export function sampleBilinear(data: Uint8Array, w: number, h: number, x: number, y: number, c: number, outside: number): number {
  if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) return outside;
  const cx = Math.min(Math.max(x, 0), w - 1);
  const cy = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const p = (yy: number, xx: number) => data[(yy * w + xx) * 3 + c]!;
  return (p(y0, x0) * (1 - fx) + p(y0, x1) * fx) * (1 - fy) + (p(y1, x0) * (1 - fx) + p(y1, x1) * fx) * fy;
}

/**
 * sampleBilinear for the three channels at once into `out` (same arithmetic, so the same values),
 * without a closure per sample: the hot loop of letterboxing and alignment.
 */
export function sampleRgb(data: Uint8Array, w: number, h: number, x: number, y: number, outside: number, out: Float64Array): void {
  if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) {
    out[0] = outside;
    out[1] = outside;
    out[2] = outside;
    return;
  }
  const cx = Math.min(Math.max(x, 0), w - 1);
  const cy = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const i00 = (y0 * w + x0) * 3;
  const i01 = (y0 * w + x1) * 3;
  const i10 = (y1 * w + x0) * 3;
  const i11 = (y1 * w + x1) * 3;
  for (let c = 0; c < 3; c++) {
    out[c] = (data[i00 + c]! * (1 - fx) + data[i01 + c]! * fx) * (1 - fy) + (data[i10 + c]! * (1 - fx) + data[i11 + c]! * fx) * fy;
  }
}

/** A detection in the normalised square input -> a FaceBox in image pixels. */
export function toFaceBox(d: Detection, box: Letterbox): FaceBox {
  const px = (v: number) => v * box.side - box.padX;
  const py = (v: number) => v * box.side - box.padY;
  const keypoints = [];
  for (let k = 0; k + 1 < d.keypoints.length; k += 2) keypoints.push({ x: px(d.keypoints[k]!), y: py(d.keypoints[k + 1]!) });
  return {
    x: px(d.cx - d.w / 2),
    y: py(d.cy - d.h / 2),
    width: d.w * box.side,
    height: d.h * box.side,
    score: d.score,
    keypoints,
  };
}
