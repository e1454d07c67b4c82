import type { RgbImage } from '../image';
import { eyesOf } from './align-face';
import type { FaceBox, Point } from './face-types';

/**
 * An approximate eye-openness signal from pixels, for BLINK: BlazeFace gives one point per eye and
 * no eyelid landmarks, so this measures the vertical intensity edges in a small patch around each
 * eye (iris, sclera and lid lines make strong horizontal edges when the eye is open; a closed lid
 * is smooth skin), relative to the same measure over the whole face box so lighting and exposure
 * changes cancel. It is a relative signal: compare frames of one session, never a fixed cut-off.
 */
export function eyeOpenness(image: RgbImage, face: FaceBox): number {
  const [left, right] = eyesOf(face);
  const iod = Math.hypot(right.x - left.x, right.y - left.y);
  const r = Math.max(2, iod * 0.18);
  const eyes = (edgeEnergy(image, left, r, r * 0.6) + edgeEnergy(image, right, r, r * 0.6)) / 2;
  const faceCentre = { x: face.x + face.width / 2, y: face.y + face.height / 2 };
  const whole = edgeEnergy(image, faceCentre, face.width / 2, face.height / 2);
  return whole > 0 ? eyes / whole : 0;
}

function gray(image: RgbImage, x: number, y: number): number {
  const i = (y * image.width + x) * 3;
  return 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
}

/** Mean |I(x, y+1) - I(x, y)| over the rectangle centred at `c` (clipped to the image). */
function edgeEnergy(image: RgbImage, c: Point, halfW: number, halfH: number): number {
  const x0 = Math.max(0, Math.floor(c.x - halfW));
  const x1 = Math.min(image.width - 1, Math.ceil(c.x + halfW));
  const y0 = Math.max(0, Math.floor(c.y - halfH));
  const y1 = Math.min(image.height - 2, Math.ceil(c.y + halfH));
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      sum += Math.abs(gray(image, x, y + 1) - gray(image, x, y));
      n += 1;
    }
  }
  return n > 0 ? sum / n : 0;
}
