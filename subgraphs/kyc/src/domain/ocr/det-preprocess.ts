import type { RgbImage } from '../image/index';
import type { Tensor } from './ocr-types';
import { resizeIntoBgrPlanes } from './resize-normalize';

/**
 * The detector's input, as rapidocr 3.10 (ch_ppocr_det DetPreProcess with limit_type `min`,
 * limit_side_len 736, after resize_image_within_bounds' max side 2000) prepares it: the image is
 * scaled down when its longer side exceeds `maxSideLen`, scaled up when its shorter side is below
 * `limitSideLen`, each side rounded to a multiple of 32; then BGR, (v/255 - 0.5)/0.5, NCHW.
 */
export type DetPreprocessOptions = {
  limitSideLen?: number;
  maxSideLen?: number;
  /**
   * `min` (default, rapidocr 3.10): the shorter side is scaled up to `limitSideLen`. `max` (rapidocr
   * 1.x and PaddleOCR's det_limit_type max): the longer side is scaled down to `limitSideLen`, never
   * up; much less work on a document photo (1000 x 640 at max 736: 736 x 480 instead of 1152 x 736).
   */
  limitType?: 'min' | 'max';
};

export const DET_LIMIT_SIDE_LEN = 736;
export const DET_MAX_SIDE_LEN = 2000;
/** Bounds the upscaling of very elongated images (a 1 x 6000 strip), which rapidocr leaves unbounded. */
export const DET_MAX_SIDE_AFTER_SCALING = 4096;

export function detInputSize(width: number, height: number, opts: DetPreprocessOptions = {}): { width: number; height: number } {
  const limit = opts.limitSideLen ?? DET_LIMIT_SIDE_LEN;
  const maxSide = opts.maxSideLen ?? DET_MAX_SIDE_LEN;
  let w = width;
  let h = height;
  if (Math.max(w, h) > maxSide) {
    const ratio = maxSide / Math.max(w, h);
    w = Math.max(1, Math.floor(w * ratio));
    h = Math.max(1, Math.floor(h * ratio));
  }
  const ratio =
    opts.limitType === 'max'
      ? Math.min(1, limit / Math.max(w, h))
      : Math.min(Math.min(w, h) < limit ? limit / Math.min(w, h) : 1, Math.max(1, DET_MAX_SIDE_AFTER_SCALING / Math.max(w, h)));
  const round32 = (v: number) => Math.max(32, Math.round(Math.floor(v * ratio) / 32) * 32);
  return { width: round32(w), height: round32(h) };
}

/** Normalises 8-bit RGB pixels into a [1, 3, h, w] BGR tensor, (v/255 - 0.5)/0.5. */
export function toBgrTensor(image: RgbImage): Tensor {
  const { width, height, data } = image;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = data[i * 3 + 2]! / 127.5 - 1; // B
    out[plane + i] = data[i * 3 + 1]! / 127.5 - 1; // G
    out[2 * plane + i] = data[i * 3]! / 127.5 - 1; // R
  }
  return { data: out, dims: [1, 3, height, width] };
}

export function prepareDetInput(image: RgbImage, opts: DetPreprocessOptions = {}): { input: Tensor; width: number; height: number } {
  const size = detInputSize(image.width, image.height, opts);
  const plane = size.width * size.height;
  const data = new Float32Array(3 * plane);
  // Resize and normalise in one pass (the values of resizeBilinear + toBgrTensor).
  resizeIntoBgrPlanes(image, { x: 0, y: 0, width: image.width, height: image.height }, size.width, size.height, data, 0, size.width, plane);
  return { input: { data, dims: [1, 3, size.height, size.width] }, width: size.width, height: size.height };
}
