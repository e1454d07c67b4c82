import { randomBytes } from 'node:crypto';
import { KEY_BYTES } from './decode-key';

/** A fresh random key as base64 of 32 bytes, for development and for minting a new key version. */
export function generatePiiKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
