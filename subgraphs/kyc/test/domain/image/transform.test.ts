import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { crop, resizeBilinear, toGray, type RgbImage } from '../../../src/domain/image/index';

const image = (w: number, h: number, f: (x: number, y: number) => [number, number, number]): RgbImage => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 3);
  return { width: w, height: h, data };
};

describe('resizeBilinear', () => {
  it('keeps a uniform image uniform at any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), (w, h, dw, dh) => {
        const out = resizeBilinear(image(w, h, () => [9, 99, 199]), dw, dh);
        assert.equal(out.data.length, dw * dh * 3);
        for (let i = 0; i < out.data.length; i += 3) assert.deepEqual([...out.data.subarray(i, i + 3)], [9, 99, 199]);
      }),
    );
  });

  it('is the identity at the same size and interpolates a ramp when doubling', () => {
    const ramp = image(4, 1, (x) => [x * 60, 0, 0]);
    assert.deepEqual(resizeBilinear(ramp, 4, 1).data, ramp.data);
    const up = resizeBilinear(ramp, 8, 1);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((x) => up.data[x * 3]), [0, 15, 45, 75, 105, 135, 165, 180]);
  });

  it('refuses a zero target size', () => {
    assert.throws(() => resizeBilinear(image(2, 2, () => [0, 0, 0]), 0, 2), RangeError);
  });
});

describe('crop and toGray', () => {
  it('crops the rectangle, clipped to the image', () => {
    const img = image(5, 4, (x, y) => [x, y, 0]);
    const c = crop(img, { x: 1, y: 2, width: 2, height: 5 });
    assert.deepEqual([c.width, c.height], [2, 2]);
    assert.deepEqual([...c.data], [1, 2, 0, 2, 2, 0, 1, 3, 0, 2, 3, 0]);
    assert.throws(() => crop(img, { x: 10, y: 0, width: 2, height: 2 }), RangeError);
  });

  it('gives BT.601 luma', () => {
    const g = toGray(image(3, 1, (x) => (x === 0 ? [255, 255, 255] : x === 1 ? [255, 0, 0] : [0, 0, 255])));
    assert.deepEqual([...g.data], [255, 76, 29]);
  });
});
