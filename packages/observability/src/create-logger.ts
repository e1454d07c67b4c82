import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import { getRequestContext } from './run-with-request-context';
import { parseTraceparent } from './parse-traceparent';
import { buildRedactPaths } from './build-redact-paths';

export type Logger = pino.Logger;

export type CreateLoggerOptions = {
  /** Written as the `service` field of every line. */
  service: string;
  /** pino level name; defaults to `info`. */
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass an in-memory stream. */
  destination?: DestinationStream;
};

const REDACT_PATHS = buildRedactPaths();

/**
 * A JSON logger: `service` on every line, ISO timestamps, `correlationId`/`traceId` from the
 * current request context, and secrets and personal data replaced by "[REDACTED]".
 */
export function createLogger(opts: CreateLoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    // Replaces pid/hostname: the platform identifies a process by service (and its container).
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    mixin: contextFields,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

function contextFields(): Record<string, string> {
  const ctx = getRequestContext();
  if (!ctx) return {};
  const fields: Record<string, string> = { correlationId: ctx.correlationId };
  const traceId = ctx.traceId ?? parseTraceparent(ctx.traceparent)?.traceId;
  if (traceId) fields.traceId = traceId;
  return fields;
}
