/** A point in image pixels (x to the right, y down). */
export type Point = { x: number; y: number };

/**
 * BlazeFace's six keypoints, in its order. "Right"/"left" are the subject's: in an unmirrored photo
 * the subject's right eye is on the image's left.
 */
export const FACE_KEYPOINTS = ['rightEye', 'leftEye', 'noseTip', 'mouthCenter', 'rightEarTragion', 'leftEarTragion'] as const;
export type FaceKeypointName = (typeof FACE_KEYPOINTS)[number];

/** One detected face in the pixels of the image it was found in. */
export type FaceBox = {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Detector confidence 0..1. */
  score: number;
  /** The six keypoints in FACE_KEYPOINTS order. */
  keypoints: Point[];
};

/** A detection in the detector's normalised input space (0..1 of the square model input). */
export type Detection = {
  /** Box centre and size. */
  cx: number;
  cy: number;
  w: number;
  h: number;
  score: number;
  /** Six keypoints, flattened x0,y0,x1,y1,... */
  keypoints: number[];
};

export function keypoint(face: FaceBox, name: FaceKeypointName): Point {
  const p = face.keypoints[FACE_KEYPOINTS.indexOf(name)];
  if (!p) throw new RangeError(`face keypoint ${name} missing`);
  return p;
}
