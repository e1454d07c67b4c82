import type { Logger } from './create-logger';

/** Anything that emits 'error' events: a Redis, pg or NATS client, a socket. */
export type ErrorEmitter = { on(event: 'error', listener: (error: Error) => void): unknown };

/**
 * Gives a store client's 'error' events a listener, so that none of them can end the process (an
 * EventEmitter throws an 'error' nobody listens to) or go to the console unstructured (ioredis
 * prints "Unhandled error event"). A client reconnecting to a store that is down emits an error per
 * attempt, so the log is throttled: the first error, then at most one line per `everyMs` with the
 * number of errors in between. The error is logged by message and code only: a store error can
 * quote a command's arguments.
 */
export function logClientErrors(client: ErrorEmitter, opts: { logger: Logger; store: string; everyMs?: number }): void {
  const everyMs = opts.everyMs ?? 30_000;
  let lastLoggedAt = 0;
  let suppressed = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < everyMs) {
      suppressed += 1;
      return;
    }
    lastLoggedAt = now;
    const code = (error as { code?: unknown }).code;
    opts.logger.warn(
      { store: opts.store, err: { name: error?.name, message: error?.message, ...(typeof code === 'string' ? { code } : {}) }, suppressed },
      `${opts.store} client error (it reconnects by itself)`,
    );
    suppressed = 0;
  });
}
