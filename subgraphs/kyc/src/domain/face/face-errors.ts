import { DomainError } from '@baas/errors';
import type { FaceBox } from './face-types';

/** Reason codes of the face checks (in `details.reason`; messages never carry image data). */
export const FACE_REASONS = {
  FACE_NOT_FOUND: 'No face was found in the image.',
  FACE_MULTIPLE: 'More than one face was found in the image.',
  FACE_MISMATCH: 'The selfie does not match the document photo.',
  LIVENESS_FAILED: 'The liveness check failed.',
} as const;

export type FaceReason = keyof typeof FACE_REASONS;

export function faceError(reason: FaceReason, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('BAD_USER_INPUT', FACE_REASONS[reason], { reason, ...details });
}

/** The one face of a selfie or document photo; FACE_NOT_FOUND / FACE_MULTIPLE otherwise. */
export function requireSingleFace(faces: readonly FaceBox[]): FaceBox {
  if (faces.length === 0) throw faceError('FACE_NOT_FOUND');
  if (faces.length > 1) throw faceError('FACE_MULTIPLE', { count: faces.length });
  return faces[0]!;
}
