import { DomainError } from '@baas/errors';

/**
 * Why an uploaded image was refused, in `details.reason` of the DomainError (the client branches on
 * it; the top-level code is the generic BAD_USER_INPUT or PAYLOAD_TOO_LARGE). Messages never carry
 * image bytes.
 */
export const IMAGE_ERROR_REASONS = {
  /** Not an image, or a type other than PNG and JPEG. */
  KYC_IMAGE_UNSUPPORTED: 'The file is not a PNG or JPEG image.',
  /** Says it is PNG/JPEG but cannot be decoded (truncated, corrupted, an unsupported variant). */
  KYC_IMAGE_CORRUPT: 'The image could not be decoded.',
  /** More pixels (or decoder memory) than allowed: a decompression bomb or an oversized photo. */
  KYC_IMAGE_TOO_LARGE: 'The image has too many pixels.',
} as const;

export type ImageErrorReason = keyof typeof IMAGE_ERROR_REASONS;

export function imageError(reason: ImageErrorReason, details: Record<string, unknown> = {}): DomainError {
  const code = reason === 'KYC_IMAGE_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT';
  return new DomainError(code, IMAGE_ERROR_REASONS[reason], { reason, ...details });
}

/** The image reason of an error (undefined for any other error). */
export function imageErrorReason(error: unknown): ImageErrorReason | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const reason = error.details?.reason;
  return typeof reason === 'string' && Object.hasOwn(IMAGE_ERROR_REASONS, reason) ? (reason as ImageErrorReason) : undefined;
}
