import type { Tensor } from './ocr-types';

/**
 * The recogniser's classes from its dictionary (one character a line), as rapidocr CTCLabelDecode
 * builds them: 0 is the CTC blank, then the dictionary in order, then a space (use_space_char).
 */
export function ctcClasses(dictionaryText: string): string[] {
  const lines = dictionaryText.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

export type DecodedLine = { text: string; confidence: number };

/**
 * Greedy CTC decoding of `[n, T, C]` class probabilities (rapidocr CTCLabelDecode): the most
 * probable class at each step; repeats collapsed, blanks dropped; confidence = the mean probability
 * of the kept steps (0 when none).
 */
export function ctcGreedyDecode(output: Tensor, classes: readonly string[]): DecodedLine[] {
  const [n, steps, c] = output.dims;
  if (output.dims.length !== 3 || n === undefined || steps === undefined || c === undefined) {
    throw new RangeError(`the recogniser output must be [n, T, C], got [${output.dims.join(', ')}]`);
  }
  if (c !== classes.length) throw new RangeError(`the recogniser has ${c} classes, the dictionary ${classes.length}`);
  const lines: DecodedLine[] = [];
  const data = output.data;
  for (let b = 0; b < n; b++) {
    let text = '';
    let sum = 0;
    let kept = 0;
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      const base = (b * steps + t) * c;
      let best = 0;
      let bestP = data[base]!;
      const end = base + c;
      for (let i = base + 1; i < end; i++) {
        const p = data[i]!;
        if (p > bestP) {
          bestP = p;
          best = i - base;
        }
      }
      if (best !== 0 && best !== previous) {
        text += classes[best];
        sum += bestP;
        kept += 1;
      }
      previous = best;
    }
    lines.push({ text, confidence: kept === 0 ? 0 : sum / kept });
  }
  return lines;
}
