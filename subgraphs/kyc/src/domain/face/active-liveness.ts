import { eyesOf } from './align-face';
import { keypoint, type FaceBox } from './face-types';

export type LivenessChallenge = 'TURN_LEFT' | 'TURN_RIGHT' | 'BLINK';
export const LIVENESS_CHALLENGES: readonly LivenessChallenge[] = ['TURN_LEFT', 'TURN_RIGHT', 'BLINK'];

/** One video frame as the engine saw it: the faces found, and the eye-openness signal of the face. */
export type LivenessFrame = { faces: FaceBox[]; eyeOpenness?: number };

export type ActiveLivenessOptions = {
  /** Fewest frames accepted (default 3). */
  minFrames?: number;
  /** |yaw| at most this in the first frame: the user starts facing the camera (default 0.15). */
  frontalYaw?: number;
  /** |yaw| at least this in the challenge's direction in some frame (default 0.3). */
  turnedYaw?: number;
  /** Openness must fall below this fraction of the session's open level, then recover (default 0.7). */
  blinkDrop?: number;
  /** Frames come from a mirrored (selfie-preview) stream: left and right swap (default false). */
  mirrored?: boolean;
};

export type ActiveLivenessResult = {
  passed: boolean;
  /** Empty when passed; else LIVENESS_FAILED and the specific reasons. */
  reasons: string[];
  /** The yaw proxy of each frame with one face (see faceYaw). */
  yaws: number[];
};

/**
 * A yaw proxy from BlazeFace's keypoints: the nose tip's offset from the eyes' midpoint along the
 * eye axis, in interocular distances (roll cancels out). 0 facing the camera; positive when the
 * nose moves to the image's right, which in an unmirrored photo is the subject turning to their left.
 */
export function faceYaw(face: FaceBox): number {
  const [l, r] = eyesOf(face);
  const nose = keypoint(face, 'noseTip');
  const ax = r.x - l.x;
  const ay = r.y - l.y;
  const iod = Math.hypot(ax, ay);
  if (!(iod > 0)) return 0;
  const mx = (l.x + r.x) / 2;
  const my = (l.y + r.y) / 2;
  return ((nose.x - mx) * ax + (nose.y - my) * ay) / (iod * iod);
}

/**
 * Active liveness over a short frame sequence: every frame has exactly one face; the first faces the
 * camera; then TURN_LEFT/TURN_RIGHT need a frame turned far enough the asked way (head pose from
 * landmark geometry), BLINK needs the eye-openness signal to dip and recover (approximate, see
 * eyeOpenness). Pure: the caller runs the detector on the frames.
 */
export function checkActiveLiveness(frames: readonly LivenessFrame[], challenge: LivenessChallenge, options: ActiveLivenessOptions = {}): ActiveLivenessResult {
  const minFrames = options.minFrames ?? 3;
  const reasons: string[] = [];
  if (!LIVENESS_CHALLENGES.includes(challenge)) return fail(['LIVENESS_CHALLENGE_UNKNOWN'], []);
  if (frames.length < minFrames) return fail(['LIVENESS_TOO_FEW_FRAMES'], []);
  if (frames.some((f) => f.faces.length === 0)) reasons.push('FACE_NOT_FOUND');
  if (frames.some((f) => f.faces.length > 1)) reasons.push('FACE_MULTIPLE');
  if (reasons.length > 0) return fail(reasons, []);
  const sign = options.mirrored ? -1 : 1;
  const yaws = frames.map((f) => sign * faceYaw(f.faces[0]!));
  if (Math.abs(yaws[0]!) > (options.frontalYaw ?? 0.15)) return fail(['LIVENESS_NOT_FRONTAL_START'], yaws);
  if (challenge === 'BLINK') {
    const open = frames.map((f) => f.eyeOpenness);
    if (open.some((v) => v === undefined || !Number.isFinite(v))) return fail(['LIVENESS_NO_EYE_SIGNAL'], yaws);
    return blinked(open as number[], options.blinkDrop ?? 0.7) ? { passed: true, reasons: [], yaws } : fail(['LIVENESS_CHALLENGE_NOT_MET'], yaws);
  }
  const turned = options.turnedYaw ?? 0.3;
  const want = challenge === 'TURN_LEFT' ? 1 : -1;
  const met = yaws.some((y) => y * want >= turned);
  return met ? { passed: true, reasons: [], yaws } : fail(['LIVENESS_CHALLENGE_NOT_MET'], yaws);
}

/** A dip below `drop` x the open level (the higher of first/last frames) with open frames before and after. */
export function blinked(openness: readonly number[], drop: number): boolean {
  const first = openness[0]!;
  const last = openness[openness.length - 1]!;
  const level = Math.max(first, last);
  if (!(level > 0)) return false;
  for (let i = 1; i < openness.length - 1; i++) {
    if (openness[i]! >= drop * level) continue;
    const before = openness.slice(0, i).some((v) => v >= drop * level);
    const after = openness.slice(i + 1).some((v) => v >= drop * level);
    if (before && after) return true;
  }
  return false;
}

function fail(reasons: string[], yaws: number[]): ActiveLivenessResult {
  return { passed: false, reasons: ['LIVENESS_FAILED', ...reasons], yaws };
}
