import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  boxesFromProbabilityMap,
  ctcClasses,
  ctcGreedyDecode,
  cropTextLine,
  detInputSize,
  prepareRecBatch,
  rotate90ccw,
  sortBoxes,
  toBgrTensor,
} from '../../../src/domain/ocr/index';
import type { RgbImage } from '../../../src/domain/image/index';

const solid = (w: number, h: number, rgb: [number, number, number]): RgbImage => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
  return { width: w, height: h, data };
};

describe('detection pre-processing (rapidocr DetPreProcess, limit_type min 736, max side 2000)', () => {
  it('scales the shorter side up to 736 and rounds both sides to multiples of 32', () => {
    assert.deepEqual(detInputSize(1000, 640), { width: 1152, height: 736 });
    assert.deepEqual(detInputSize(800, 800), { width: 800, height: 800 });
    assert.deepEqual(detInputSize(4000, 3000), { width: 2016, height: 1504 });
    assert.deepEqual(detInputSize(6000, 1), { width: 4096, height: 32 });
  });

  it('always gives positive multiples of 32 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 1, max: 6000 }), (w, h) => {
        const s = detInputSize(w, h);
        assert.ok(s.width >= 32 && s.height >= 32 && s.width % 32 === 0 && s.height % 32 === 0);
      }),
    );
  });

  it('gives a BGR NCHW tensor normalised to (v/255 - 0.5)/0.5', () => {
    const t = toBgrTensor(solid(2, 1, [255, 0, 51]));
    assert.deepEqual(t.dims, [1, 3, 1, 2]);
    assert.deepEqual([...t.data].map((v) => Math.round(v * 100) / 100), [-0.6, -0.6, -1, -1, 1, 1]);
  });
});

describe('DB post-processing', () => {
  // A 40 x 20 map with two text blobs: rows 2..5 x cols 3..14 (p 0.9) and rows 10..15 x cols 20..35 (p 0.8).
  const map = () => {
    const w = 40;
    const h = 20;
    const p = new Float32Array(w * h);
    for (let y = 2; y <= 5; y++) for (let x = 3; x <= 14; x++) p[y * w + x] = 0.9;
    for (let y = 10; y <= 15; y++) for (let x = 20; x <= 35; x++) p[y * w + x] = 0.8;
    p[18 * w + 1] = 0.95; // a lone pixel: too small to be text
    return { p, w, h };
  };

  it('finds each region, grows it by area*1.6/perimeter, and scales it to the image', () => {
    const { p, w, h } = map();
    const boxes = boxesFromProbabilityMap(p, w, h, 80, 40, { dilate: false });
    assert.equal(boxes.length, 2);
    // First blob: 11 x 3 between pixel centres, d = 33*1.6/28 = 1.886: x 1.11..15.89 -> *2 -> 2..32, y 0.11..6.89 -> 0..14.
    assert.deepEqual({ ...boxes[0]!, score: undefined }, { x: 2, y: 0, width: 30, height: 14, score: undefined });
    assert.ok(Math.abs(boxes[0]!.score - 0.9) < 1e-6);
    assert.ok(Math.abs(boxes[1]!.score - 0.8) < 1e-6);
  });

  it('drops regions whose mean probability is under box_thresh', () => {
    const { p, w, h } = map();
    assert.equal(boxesFromProbabilityMap(p, w, h, 40, 20, { boxThresh: 0.85, dilate: false }).length, 1);
    // Dilation (on by default, as rapidocr) widens each region by a pixel of low probability, lowering its mean.
    assert.equal(boxesFromProbabilityMap(p, w, h, 40, 20, { boxThresh: 0.85 }).length, 0);
  });

  it('sorts boxes into reading order: lines by top edge (10 px tolerance), then left to right', () => {
    const b = (x: number, y: number) => ({ x, y, width: 5, height: 5 });
    assert.deepEqual(sortBoxes([b(300, 52), b(10, 50), b(10, 100), b(200, 45)]), [b(10, 50), b(200, 45), b(300, 52), b(10, 100)]);
  });
});

describe('recognition pre-processing and CTC decoding', () => {
  it('pads a batch to 48 x max(320, 48 * widest ratio) with zeros after each resized line', () => {
    const t = prepareRecBatch([solid(100, 48, [255, 255, 255]), solid(960, 48, [0, 0, 0])]);
    assert.deepEqual(t.dims, [2, 3, 48, 960]);
    const plane = 48 * 960;
    assert.equal(t.data[99], 1); // first line, last resized column: white
    assert.equal(t.data[100], 0); // then padding
    assert.equal(t.data[3 * plane + 959], -1); // second line fills the width: black
  });

  it('turns a tall crop a quarter anticlockwise', () => {
    const img: RgbImage = { width: 1, height: 2, data: new Uint8Array([1, 1, 1, 2, 2, 2]) };
    const r = rotate90ccw(img);
    assert.deepEqual([r.width, r.height, ...r.data], [2, 1, 1, 1, 1, 2, 2, 2]);
    assert.deepEqual([cropTextLine(solid(10, 40, [0, 0, 0]), { x: 0, y: 0, width: 10, height: 40 }).width], [40]);
  });

  it('builds blank + dictionary + space classes', () => {
    assert.deepEqual(ctcClasses('a\nç\n'), ['', 'a', 'ç', ' ']);
  });

  it('collapses repeats, drops blanks, keeps a doubled letter split by a blank, averages the kept probabilities', () => {
    const classes = ['', 'A', 'Ç', ' '];
    // steps: A A blank A Ç Ç space
    const best = [1, 1, 0, 1, 2, 2, 3];
    const probs = [0.9, 0.8, 0.99, 0.7, 0.6, 0.95, 0.5];
    const data = new Float32Array(best.length * 4);
    best.forEach((k, t) => {
      data.fill((1 - probs[t]!) / 3, t * 4, t * 4 + 4);
      data[t * 4 + k] = probs[t]!;
    });
    const [line] = ctcGreedyDecode({ data, dims: [1, best.length, 4] }, classes);
    assert.equal(line!.text, 'AAÇ ');
    assert.ok(Math.abs(line!.confidence - (0.9 + 0.7 + 0.6 + 0.5) / 4) < 1e-6);
    assert.throws(() => ctcGreedyDecode({ data, dims: [1, best.length, 4] }, ['', 'A']), RangeError);
  });
});
