import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { alignFace, applySimilarity, compareEmbeddings, cosineSimilarity, FACE_MATCH_THRESHOLD, similarityFromEyes, type FaceBox } from '../../../src/domain/face/index';
import { requireSingleFace } from '../../../src/domain/face/index';
import { DomainError } from '@baas/errors';

const pt = fc.record({ x: fc.double({ min: -500, max: 500, noNaN: true }), y: fc.double({ min: -500, max: 500, noNaN: true }) });
const close = (a: number, b: number, eps = 1e-6) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));

function faceWithEyes(l: { x: number; y: number }, r: { x: number; y: number }): FaceBox {
  return { x: 0, y: 0, width: 100, height: 100, score: 0.9, keypoints: [l, r, { x: (l.x + r.x) / 2, y: l.y + 20 }, { x: (l.x + r.x) / 2, y: l.y + 35 }, l, r] };
}

describe('similarity alignment', () => {
  it('maps the template eyes exactly onto the image eyes (any rotation and scale)', () => {
    fc.assert(
      fc.property(pt, pt, (l, r) => {
        fc.pre(Math.hypot(r.x - l.x, r.y - l.y) > 1);
        const dl = { x: 85, y: 78 };
        const dr = { x: 139, y: 78 };
        const t = similarityFromEyes(l, r, dl, dr);
        const pl = applySimilarity(t, dl);
        const pr = applySimilarity(t, dr);
        assert.ok(close(pl.x, l.x) && close(pl.y, l.y) && close(pr.x, r.x) && close(pr.y, r.y));
      }),
    );
  });
  it('straightens a tilted face: marks at the eyes land on the template eye row', () => {
    const w = 120;
    const data = new Uint8Array(w * w * 3);
    const eyes = [{ x: 40, y: 50 }, { x: 80, y: 70 }];
    for (const e of eyes) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) data[((e.y + dy) * w + e.x + dx) * 3] = 255;
    const out = alignFace({ width: w, height: w, data }, faceWithEyes({ x: 40.5, y: 50.5 }, { x: 80.5, y: 70.5 }), { size: 100, eyeDistance: 0.4, eyeY: 0.4 });
    assert.equal(out.width, 100);
    assert.ok(out.data[(40 * 100 + 30) * 3]! > 100, 'left eye mark at (30, 40)');
    assert.ok(out.data[(40 * 100 + 70) * 3]! > 100, 'right eye mark at (70, 40)');
    assert.equal(out.data[(90 * 100 + 50) * 3], 0);
  });
});

describe('cosine similarity', () => {
  const vec = (n: number) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n });
  const pair = fc.integer({ min: 1, max: 64 }).chain((n) => fc.tuple(vec(n), vec(n)));
  it('is within [-1, 1] and symmetric', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const s = cosineSimilarity(a, b);
        assert.ok(s >= -1 && s <= 1);
        assert.equal(s, cosineSimilarity(b, a));
      }),
    );
  });
  it('is 1 for a vector with itself and ignores positive scaling', () => {
    fc.assert(
      fc.property(vec(16), fc.double({ min: 0.01, max: 100, noNaN: true }), (a, k) => {
        fc.pre(a.some((v) => Math.abs(v) > 1e-3));
        assert.ok(close(cosineSimilarity(a, a), 1, 1e-9));
        assert.ok(close(cosineSimilarity(a, a.map((v) => v * k)), 1, 1e-9));
        assert.ok(close(cosineSimilarity(a, a.map((v) => -v)), -1, 1e-9));
      }),
    );
  });
  it('is 0 against a zero vector and refuses different lengths', () => {
    assert.equal(cosineSimilarity([1, 2], [0, 0]), 0);
    assert.throws(() => cosineSimilarity([1], [1, 2]), RangeError);
  });
  it('compareEmbeddings matches at the threshold', () => {
    assert.deepEqual(compareEmbeddings([1, 0], [1, 0]), { similarity: 1, match: true, threshold: FACE_MATCH_THRESHOLD });
    assert.equal(compareEmbeddings([1, 0], [0, 1]).match, false);
    assert.equal(compareEmbeddings([1, 0], [0.6, 0.8], 0.6).match, true);
  });
});

describe('requireSingleFace', () => {
  const face = faceWithEyes({ x: 10, y: 10 }, { x: 30, y: 10 });
  it('FACE_NOT_FOUND for none, FACE_MULTIPLE for several', () => {
    assert.throws(() => requireSingleFace([]), (e: unknown) => e instanceof DomainError && e.details?.reason === 'FACE_NOT_FOUND');
    assert.throws(() => requireSingleFace([face, face]), (e: unknown) => e instanceof DomainError && e.details?.reason === 'FACE_MULTIPLE');
    assert.equal(requireSingleFace([face]), face);
  });
});
