import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resizeBilinear, type RgbImage } from '../../../src/domain/image/index';
import { detInputSize, prepareDetInput, prepareRecBatch, toBgrTensor } from '../../../src/domain/ocr/index';

const random = (w: number, h: number, seed: number): RgbImage => {
  const data = new Uint8Array(w * h * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width: w, height: h, data };
};

describe('the one-pass resize + normalise of the OCR inputs', () => {
  it('gives exactly resizeBilinear + toBgrTensor for the detector (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 90 }), fc.integer(), fc.constantFrom(32, 64, 96), (w, h, seed, limit) => {
        const img = random(w, h, seed);
        for (const opts of [{ limitSideLen: limit }, { limitType: 'max' as const, limitSideLen: limit }]) {
          const size = detInputSize(w, h, opts);
          const expected = toBgrTensor(resizeBilinear(img, size.width, size.height));
          const got = prepareDetInput(img, opts).input;
          assert.deepEqual(got.dims, expected.dims);
          assert.deepEqual(got.data, expected.data);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('limitType max scales the longer side down to the limit and never up', () => {
    assert.deepEqual(detInputSize(1000, 640, { limitType: 'max', limitSideLen: 736 }), { width: 736, height: 480 });
    assert.deepEqual(detInputSize(500, 320, { limitType: 'max', limitSideLen: 736 }), { width: 512, height: 320 });
  });

  it('pads a recogniser batch only to its widest line when minWidth allows', () => {
    const t = prepareRecBatch([random(20, 24, 1), random(60, 24, 2)], { minWidth: 48 });
    assert.deepEqual(t.dims, [2, 3, 48, 120]);
    const alone = prepareRecBatch([random(20, 24, 1)], { minWidth: 48 });
    assert.deepEqual(alone.dims, [1, 3, 48, 48]);
    // The line's own columns are the same whatever the batch width; the rest is zero padding.
    const plane = 48 * 120;
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 40; x++) assert.equal(t.data[y * 120 + x], alone.data[y * 48 + x]);
      for (let x = 40; x < 120; x++) assert.equal(t.data[2 * plane + y * 120 + x], 0);
    }
  });
});
