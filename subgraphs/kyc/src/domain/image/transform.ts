import type { GrayImage, Rect, RgbImage } from './rgb-image';

/**
 * Bilinear resize to `width` x `height` (pixel centres aligned, as OpenCV's INTER_LINEAR without
 * its fixed-point rounding). Works for any channel count via `channels` (3 for RgbImage).
 */
export function resizeBilinear(image: RgbImage, width: number, height: number): RgbImage {
  return { width, height, data: resizeChannels(image.data, image.width, image.height, width, height, 3) };
}

export function resizeChannels(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, channels: number): Uint8Array {
  if (!Number.isInteger(dw) || !Number.isInteger(dh) || dw < 1 || dh < 1) throw new RangeError('resize: the target size must be positive integers');
  const out = new Uint8Array(dw * dh * channels);
  const sx = sw / dw;
  const sy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = fx - x0;
      const o = (y * dw + x) * channels;
      const a = (y0 * sw + x0) * channels;
      const b = (y0 * sw + x1) * channels;
      const c = (y1 * sw + x0) * channels;
      const d = (y1 * sw + x1) * channels;
      for (let k = 0; k < channels; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * wx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * wx;
        out[o + k] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

/** The part of the image inside `rect`, clipped to the image (integer pixel bounds). Throws when nothing is left. */
export function crop(image: RgbImage, rect: Rect): RgbImage {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(image.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(image.height, Math.ceil(rect.y + rect.height));
  if (x1 <= x0 || y1 <= y0) throw new RangeError('crop: the rectangle lies outside the image');
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const start = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(start, start + width * 3), y * width * 3);
  }
  return { width, height, data };
}

/** Luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), rounded. */
export function toGray(image: RgbImage): GrayImage {
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    data[i] = Math.round(0.299 * image.data[i * 3]! + 0.587 * image.data[i * 3 + 1]! + 0.114 * image.data[i * 3 + 2]!);
  }
  return { width: image.width, height: image.height, data };
}
