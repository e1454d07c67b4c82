import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BLAZEFACE_SHORT_RANGE_ANCHORS,
  blazeFaceAnchors,
  decodeDetections,
  facesFromBlazeFace,
  generateSsdAnchors,
  intersectionOverUnion,
  letterboxOf,
  toFaceBox,
  weightedNms,
  type Detection,
} from '../../../src/domain/face/index';

const det = (cx: number, cy: number, w: number, score: number): Detection => ({ cx, cy, w, h: w, score, keypoints: [cx - w / 4, cy, cx + w / 4, cy, cx, cy + w / 8, cx, cy + w / 4, cx - w / 2, cy, cx + w / 2, cy] });

describe('BlazeFace short-range anchors (MediaPipe SsdAnchorsCalculator options)', () => {
  const anchors = generateSsdAnchors(BLAZEFACE_SHORT_RANGE_ANCHORS);
  it('are 16x16x2 then 8x8x6 = 896, unit-sized', () => {
    assert.equal(anchors.length, 896);
    assert.ok(anchors.every((a) => a.w === 1 && a.h === 1));
  });
  it('sit at cell centres, row by row, anchors of one cell together', () => {
    assert.deepEqual(anchors[0], { xCenter: 1 / 32, yCenter: 1 / 32, w: 1, h: 1 });
    assert.deepEqual(anchors[1], anchors[0]);
    assert.equal(anchors[2]!.xCenter, 3 / 32);
    assert.equal(anchors[32]!.yCenter, 3 / 32);
    assert.deepEqual(anchors[512], { xCenter: 1 / 16, yCenter: 1 / 16, w: 1, h: 1 });
    assert.equal(anchors[512 + 6]!.xCenter, 3 / 16);
    assert.equal(anchors[895]!.xCenter, 15 / 16);
    assert.equal(anchors[895]!.yCenter, 15 / 16);
  });
  it('blazeFaceAnchors is the same list, made once', () => {
    assert.equal(blazeFaceAnchors(), blazeFaceAnchors());
    assert.deepEqual(blazeFaceAnchors(), anchors);
  });
  it('without fixed size, sizes follow the scales', () => {
    const free = generateSsdAnchors({ ...BLAZEFACE_SHORT_RANGE_ANCHORS, fixedAnchorSize: false });
    assert.ok(Math.abs(free[0]!.w - 0.1484375) < 1e-9);
  });
});

describe('decodeDetections', () => {
  const anchors = blazeFaceAnchors();
  it('keeps anchors above the score, offsets in input pixels from the anchor', () => {
    const scores = new Float32Array(896).fill(-10);
    const boxes = new Float32Array(896 * 16);
    scores[600] = 3;
    boxes.set([12.8, -6.4, 32, 64, 0, 0, 12.8, 0], 600 * 16);
    const out = decodeDetections(scores, boxes, anchors, { inputSize: 128, minScore: 0.5 });
    assert.equal(out.length, 1);
    const a = anchors[600]!;
    const d = out[0]!;
    assert.ok(Math.abs(d.cx - (a.xCenter + 0.1)) < 1e-6 && Math.abs(d.cy - (a.yCenter - 0.05)) < 1e-6);
    assert.ok(Math.abs(d.w - 0.25) < 1e-6 && Math.abs(d.h - 0.5) < 1e-6);
    assert.ok(Math.abs(d.keypoints[2]! - (a.xCenter + 0.1)) < 1e-6);
    assert.ok(Math.abs(d.score - 1 / (1 + Math.exp(-3))) < 1e-6);
  });
  it('refuses tensors of the wrong size', () => {
    assert.throws(() => decodeDetections(new Float32Array(10), new Float32Array(160), anchors, { inputSize: 128, minScore: 0.5 }), RangeError);
  });
  it('finds nothing in all-low scores (a blank image)', () => {
    const heads = { scores16: new Float32Array(512).fill(-8), scores8: new Float32Array(384).fill(-8), boxes16: new Float32Array(512 * 16), boxes8: new Float32Array(384 * 16) };
    assert.deepEqual(facesFromBlazeFace(heads, letterboxOf({ width: 100, height: 50 })), []);
  });
});

describe('weighted NMS', () => {
  it('merges overlapping detections into their score-weighted mean, keeping the best score', () => {
    const out = weightedNms([det(0.5, 0.5, 0.4, 0.9), det(0.52, 0.5, 0.4, 0.6), det(0.1, 0.1, 0.1, 0.7)]);
    assert.equal(out.length, 2);
    assert.equal(out[0]!.score, 0.9);
    assert.ok(Math.abs(out[0]!.cx - (0.5 * 0.9 + 0.52 * 0.6) / 1.5) < 1e-12);
    assert.equal(out[1]!.cx, 0.1);
  });
  it('never returns more detections than it got, nor overlapping ones above the threshold', () => {
    const arb = fc.array(fc.record({ cx: fc.double({ min: 0, max: 1, noNaN: true }), cy: fc.double({ min: 0, max: 1, noNaN: true }), w: fc.double({ min: 0.05, max: 0.5, noNaN: true }), s: fc.double({ min: 0.5, max: 1, noNaN: true }) }), { maxLength: 20 });
    fc.assert(
      fc.property(arb, (xs) => {
        const out = weightedNms(xs.map((x) => det(x.cx, x.cy, x.w, x.s)));
        assert.ok(out.length <= xs.length);
        if (xs.length > 0) assert.equal(out[0]!.score, Math.max(...xs.map((x) => x.s)));
      }),
    );
  });
  it('IoU is 1 for the same box, 0 for disjoint ones', () => {
    assert.ok(Math.abs(intersectionOverUnion(det(0.5, 0.5, 0.2, 1), det(0.5, 0.5, 0.2, 1)) - 1) < 1e-12);
    assert.equal(intersectionOverUnion(det(0.1, 0.1, 0.1, 1), det(0.9, 0.9, 0.1, 1)), 0);
  });
});

describe('letterbox mapping', () => {
  it('maps the normalised square back to image pixels, padding removed', () => {
    const box = letterboxOf({ width: 200, height: 100 });
    assert.deepEqual(box, { side: 200, padX: 0, padY: 50 });
    const face = toFaceBox(det(0.5, 0.5, 0.2, 0.9), box);
    assert.equal(face.x, 80);
    assert.equal(face.y, 30);
    assert.equal(face.width, 40);
    assert.equal(face.keypoints.length, 6);
    assert.deepEqual(face.keypoints[0], { x: 90, y: 50 });
  });
});
