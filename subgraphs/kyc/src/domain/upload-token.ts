/**
 * Upload tokens (pure crypto, no I/O): a token is HMAC-SHA256(key, upload id), so a repeated
 * request (same id) answers the same token without the token being stored; only its SHA-256 is
 * stored, and the upload endpoint finds the upload by that hash. Short-lived and single-use.
 */
import { createHash, createHmac } from 'node:crypto';

/** How long an upload URL may be used. */
export const UPLOAD_TOKEN_TTL_SECONDS = 15 * 60;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token of upload `uploadId` under `key` (43 base64url characters: 256 bits). */
export function uploadTokenFor(key: Uint8Array, uploadId: string): string {
  return createHmac('sha256', key).update(`kyc.upload-token\0${uploadId}`, 'utf8').digest('base64url');
}

/** What is stored and looked up: the token's SHA-256 (hex). */
export function hashUploadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `value` has a token's shape (checked before any look-up). */
export function isUploadTokenShape(value: string): boolean {
  return TOKEN.test(value);
}

/** When a token made at `now` expires. */
export function uploadTokenExpiry(now: Date, ttlSeconds = UPLOAD_TOKEN_TTL_SECONDS): Date {
  return new Date(now.getTime() + ttlSeconds * 1000);
}

/** The URL a client PUTs the file to: `${publicUrl}/kyc/uploads/${token}` (publicUrl without a trailing slash). */
export function uploadUrlFor(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/kyc/uploads/${token}`;
}
