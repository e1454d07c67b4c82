import type { RgbImage } from '../image/index';

/**
 * Bilinear resize of the `sw` x `sh` window at (`sx0`, `sy0`) of an RGB image straight into planes
 * of a float32 NCHW tensor as BGR, (round(v)/255 - 0.5)/0.5: the same values as resizeBilinear then
 * toBgrTensor (pixel centres aligned, rounded to 8 bits), without the intermediate image. The
 * horizontal offsets and weights are computed once per call, not per pixel (this runs on ~1 MP per
 * document). Writes `dw` x `dh` pixels at row stride `stride` from `offset` in `out` (3 planes of
 * `planeSize`); the rest of `out` is left as it is (zero padding).
 */
export function resizeIntoBgrPlanes(
  image: RgbImage,
  window: { x: number; y: number; width: number; height: number },
  dw: number,
  dh: number,
  out: Float32Array,
  offset: number,
  stride: number,
  planeSize: number,
): void {
  const { width: iw, data: src } = image;
  const { x: sx0, y: sy0, width: sw, height: sh } = window;
  if (!Number.isInteger(dw) || !Number.isInteger(dh) || dw < 1 || dh < 1) throw new RangeError('resize: the target size must be positive integers');
  const scaleX = sw / dw;
  const scaleY = sh / dh;
  const xa = new Int32Array(dw);
  const xb = new Int32Array(dw);
  const wxs = new Float64Array(dw);
  for (let x = 0; x < dw; x++) {
    const fx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), sw - 1);
    const x0 = Math.floor(fx);
    xa[x] = (sx0 + x0) * 3;
    xb[x] = (sx0 + Math.min(x0 + 1, sw - 1)) * 3;
    wxs[x] = fx - x0;
  }
  const bPlane = offset;
  const gPlane = offset + planeSize;
  const rPlane = offset + 2 * planeSize;
  const identityX = dw === sw;
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const wy = fy - y0;
    const row0 = (sy0 + y0) * iw * 3;
    const row1 = (sy0 + Math.min(y0 + 1, sh - 1)) * iw * 3;
    const o = y * stride;
    if (identityX && wy === 0) {
      for (let x = 0; x < dw; x++) {
        const a = row0 + xa[x]!;
        out[rPlane + o + x] = src[a]! / 127.5 - 1;
        out[gPlane + o + x] = src[a + 1]! / 127.5 - 1;
        out[bPlane + o + x] = src[a + 2]! / 127.5 - 1;
      }
      continue;
    }
    for (let x = 0; x < dw; x++) {
      const wx = wxs[x]!;
      const a = row0 + xa[x]!;
      const b = row0 + xb[x]!;
      const c = row1 + xa[x]!;
      const d = row1 + xb[x]!;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * wx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * wx;
        const v = Math.round(top + (bottom - top) * wy) / 127.5 - 1;
        // k: 0 = R, 1 = G, 2 = B; planes are B, G, R.
        out[offset + (2 - k) * planeSize + o + x] = v;
      }
    }
  }
}
