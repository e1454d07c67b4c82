import { crop, type RgbImage } from '../image/index';
import type { Tensor, TextBox } from './ocr-types';
import { resizeIntoBgrPlanes } from './resize-normalize';

/** The recogniser's input height and its narrowest width (rapidocr rec_img_shape [3, 48, 320]). */
export const REC_HEIGHT = 48;
export const REC_MIN_WIDTH = 320;
/** Lines per recogniser run (rapidocr rec_batch_num). */
export const REC_BATCH = 6;

/**
 * The text line inside `box` (rapidocr get_rotate_crop_image for an upright box: a plain crop),
 * turned a quarter anticlockwise (np.rot90) when it is at least 1.5 times taller than wide.
 */
export function cropTextLine(image: RgbImage, box: TextBox): RgbImage {
  const line = crop(image, box);
  return line.height / line.width >= 1.5 ? rotate90ccw(line) : line;
}

export function rotate90ccw(image: RgbImage): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(data.length);
  // Output is h wide and w tall: out(x = y, y = w - 1 - x) = in(x, y).
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = ((w - 1 - x) * h + y) * 3;
      const i = (y * w + x) * 3;
      out[o] = data[i]!;
      out[o + 1] = data[i + 1]!;
      out[o + 2] = data[i + 2]!;
    }
  }
  return { width: h, height: w, data: out };
}

/**
 * One recogniser batch, as rapidocr TextRecognizer.resize_norm_img: the batch width is
 * 48 * max(minWidth/48, each line's width/height); each line is resized to height 48 keeping its ratio
 * (at most the batch width), BGR, (v/255 - 0.5)/0.5, and zero-padded on the right. [n, 3, 48, W].
 * `minWidth` defaults to rapidocr's 320; a smaller one (the engine's `recMinWidth`) pads short lines
 * less: the recogniser's cost grows with the padded width (its convolutions run over every column).
 */
export function prepareRecBatch(lines: readonly RgbImage[], opts: { minWidth?: number } = {}): Tensor {
  if (lines.length === 0) throw new RangeError('prepareRecBatch needs at least one line');
  const minWidth = opts.minWidth ?? REC_MIN_WIDTH;
  let maxRatio = minWidth / REC_HEIGHT;
  for (const l of lines) maxRatio = Math.max(maxRatio, l.width / l.height);
  const batchWidth = Math.max(1, Math.floor(REC_HEIGHT * maxRatio));
  const plane = REC_HEIGHT * batchWidth;
  const data = new Float32Array(lines.length * 3 * plane);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const ceilWidth = Math.ceil(REC_HEIGHT * (line.width / line.height));
    const width = Math.max(1, Math.min(ceilWidth, batchWidth));
    resizeIntoBgrPlanes(line, { x: 0, y: 0, width: line.width, height: line.height }, width, REC_HEIGHT, data, n * 3 * plane, batchWidth, plane);
  }
  return { data, dims: [lines.length, 3, REC_HEIGHT, batchWidth] };
}
