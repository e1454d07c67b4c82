import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blinked, checkActiveLiveness, faceYaw, type FaceBox, type LivenessFrame } from '../../../src/domain/face/index';

/** A face whose nose sits `yaw` interocular distances right of the eyes' midpoint, rolled by `roll`. */
function face(yaw: number, roll = 0): FaceBox {
  const c = Math.cos(roll);
  const s = Math.sin(roll);
  const at = (u: number, v: number) => ({ x: 100 + 40 * (u * c - v * s), y: 100 + 40 * (u * s + v * c) });
  return { x: 60, y: 60, width: 80, height: 80, score: 0.9, keypoints: [at(-0.5, 0), at(0.5, 0), at(yaw, 0.6), at(yaw * 0.8, 1), at(-1, 0.2), at(1, 0.2)] };
}
const frames = (yaws: number[], openness?: number[]): LivenessFrame[] => yaws.map((y, i) => ({ faces: [face(y)], ...(openness ? { eyeOpenness: openness[i]! } : {}) }));

describe('faceYaw', () => {
  it('is the nose offset along the eye axis in interocular distances, roll-invariant', () => {
    assert.ok(Math.abs(faceYaw(face(0.3)) - 0.3) < 1e-9);
    assert.ok(Math.abs(faceYaw(face(-0.2, 0.4)) + 0.2) < 1e-9);
  });
});

describe('checkActiveLiveness', () => {
  it('TURN_LEFT passes when the head turns to the subject\'s left (nose to the image right)', () => {
    assert.deepEqual(checkActiveLiveness(frames([0, 0.15, 0.4]), 'TURN_LEFT').reasons, []);
    assert.equal(checkActiveLiveness(frames([0, -0.15, -0.4]), 'TURN_LEFT').passed, false);
  });
  it('TURN_RIGHT is the other way, and mirrored streams swap them', () => {
    assert.equal(checkActiveLiveness(frames([0, -0.2, -0.45]), 'TURN_RIGHT').passed, true);
    assert.equal(checkActiveLiveness(frames([0, -0.2, -0.45]), 'TURN_LEFT', { mirrored: true }).passed, true);
  });
  it('a still face fails with LIVENESS_CHALLENGE_NOT_MET', () => {
    assert.deepEqual(checkActiveLiveness(frames([0, 0.02, 0.01]), 'TURN_LEFT').reasons, ['LIVENESS_FAILED', 'LIVENESS_CHALLENGE_NOT_MET']);
  });
  it('must start facing the camera', () => {
    assert.deepEqual(checkActiveLiveness(frames([0.5, 0.5, 0.5]), 'TURN_LEFT').reasons, ['LIVENESS_FAILED', 'LIVENESS_NOT_FRONTAL_START']);
  });
  it('needs enough frames, one face in each', () => {
    assert.ok(checkActiveLiveness(frames([0, 0.4]), 'TURN_LEFT').reasons.includes('LIVENESS_TOO_FEW_FRAMES'));
    const missing = [...frames([0, 0.4]), { faces: [] }];
    assert.ok(checkActiveLiveness(missing, 'TURN_LEFT').reasons.includes('FACE_NOT_FOUND'));
    const two = [...frames([0, 0.4]), { faces: [face(0), face(0)] }];
    assert.ok(checkActiveLiveness(two, 'TURN_LEFT').reasons.includes('FACE_MULTIPLE'));
  });
  it('BLINK: the eye signal dips and recovers', () => {
    assert.equal(checkActiveLiveness(frames([0, 0, 0, 0], [1, 0.5, 0.45, 0.95]), 'BLINK').passed, true);
    assert.equal(checkActiveLiveness(frames([0, 0, 0, 0], [1, 0.95, 0.9, 1]), 'BLINK').passed, false);
    assert.ok(checkActiveLiveness(frames([0, 0, 0]), 'BLINK').reasons.includes('LIVENESS_NO_EYE_SIGNAL'));
  });
  it('blinked needs open frames on both sides of the dip', () => {
    assert.equal(blinked([1, 0.4, 0.4], 0.7), false);
    assert.equal(blinked([0.4, 0.4, 1], 0.7), false);
    assert.equal(blinked([1, 0.3, 1], 0.7), true);
  });
});
