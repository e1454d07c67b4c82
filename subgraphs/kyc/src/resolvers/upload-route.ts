import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '@baas/errors';
import { getRequestContext, type Logger } from '@baas/observability';
import { CORRELATION_HEADER } from '@baas/auth';
import { MAX_DOCUMENT_BYTES } from '../domain/document-types';
import type { KycDeps } from '../use-cases/kyc-deps';
import { checkUploadToken, UploadTokenRefused, uploadKycDocument } from '../use-cases/upload-kyc-document';

/** The upload path's prefix; the token follows it. */
export const UPLOAD_ROUTE_PREFIX = '/kyc/uploads/';

class TooLarge extends Error {}

/** Reads the body up to `max` bytes; past that it stops reading at once (TooLarge): never more than max + one chunk in memory. */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        return reject(new TooLarge());
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

/** A coded JSON refusal, the shape of every error here (`errors[0].extensions.code`, plus `reason`). */
function refuse(res: ServerResponse, status: number, code: string, reason: string | null, message: string, close = false): void {
  const correlationId = getRequestContext()?.correlationId;
  const body = JSON.stringify({ errors: [{ message, extensions: { code, ...(reason ? { reason } : {}), ...(correlationId ? { correlationId } : {}) } }] });
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };
  if (correlationId) headers[CORRELATION_HEADER] = correlationId;
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * After a refusal with the body unread: the reply says `Connection: close`; the rest of the body is
 * read and thrown away (at most another cap's worth, 2 s at most) so the client can read the reply,
 * then the socket goes. Nothing of it is kept.
 */
function dropAfterReply(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  let discarded = 0;
  const finish = () => socket.destroy();
  const timer = setTimeout(finish, 2_000);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DOCUMENT_BYTES) finish();
  });
  req.once('end', () => {
    clearTimeout(timer);
    if (res.writableFinished) socket.end();
    else res.once('finish', () => socket.end());
  });
  req.resume();
}

const TOKEN_CODES = { KYC_UPLOAD_TOKEN_INVALID: 'NOT_FOUND', KYC_UPLOAD_TOKEN_USED: 'CONFLICT', KYC_UPLOAD_TOKEN_EXPIRED: 'BAD_REQUEST' } as const;

/**
 * `PUT /kyc/uploads/:token`: the file itself (PNG or JPEG, at most 10 MB), outside GraphQL and the
 * gateway's body limit. The token is the capability (no bearer token): checked before the body is
 * read; the body streamed up to the cap and refused past it (413 PAYLOAD_TOO_LARGE, the connection
 * closed); the type decided by the bytes; the token spent once. 201 with the document's id, type and
 * size. Refusals: 404 KYC_UPLOAD_TOKEN_INVALID, 409 KYC_UPLOAD_TOKEN_USED, 410
 * KYC_UPLOAD_TOKEN_EXPIRED, 400 KYC_IMAGE_UNSUPPORTED / KYC_IMAGE_CORRUPT, 413 KYC_IMAGE_TOO_LARGE,
 * 409 KYC_INVALID_TRANSITION. Nothing of the file or the token is logged.
 */
export function kycUploadRoute(deps: KycDeps, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = new URL(req.url ?? '/', 'http://localhost').pathname.slice(UPLOAD_ROUTE_PREFIX.length);
    if ((req.method ?? '').toUpperCase() !== 'PUT') {
      res.setHeader('allow', 'PUT');
      refuse(res, 405, 'METHOD_NOT_ALLOWED', null, 'Upload the file with PUT.', !req.complete);
      if (!req.complete) dropAfterReply(req, res);
      return;
    }
    try {
      const declared = Number(req.headers['content-length']);
      await checkUploadToken(deps, token);
      if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) throw new TooLarge();
      const bytes = await readCapped(req, MAX_DOCUMENT_BYTES);
      const stored = await uploadKycDocument(deps, token, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      const body = JSON.stringify({ documentId: stored.documentId, applicationId: stored.applicationId, documentType: stored.documentType, contentType: stored.contentType, bytes: stored.bytes });
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      const unread = !req.complete;
      if (error instanceof TooLarge) {
        refuse(res, 413, 'PAYLOAD_TOO_LARGE', 'KYC_DOCUMENT_TOO_LARGE', `The file is larger than ${MAX_DOCUMENT_BYTES} bytes.`, true);
      } else if (error instanceof UploadTokenRefused) {
        refuse(res, error.status, TOKEN_CODES[error.reason], error.reason, 'This upload URL cannot be used: ask for a new one.', unread);
      } else if (error instanceof DomainError) {
        const reason = typeof error.details?.reason === 'string' ? error.details.reason : null;
        refuse(res, error.httpStatus, error.code, reason, error.message, unread);
      } else {
        logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'kyc upload failed');
        refuse(res, 500, 'INTERNAL_SERVER_ERROR', null, 'Internal server error.', unread);
      }
      if (unread) dropAfterReply(req, res);
    }
  };
}
