import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from `parts` under `purpose` (SHA-256, version nibble 8: made by the
 * platform, not random), so a record keyed by what it is about (an assessment by tenant and
 * movement, an alert by its finding) gets the same id on every attempt and racing writers collide.
 */
export function derivedId(purpose: string, ...parts: string[]): string {
  const h = createHash('sha256').update([purpose, ...parts].join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
