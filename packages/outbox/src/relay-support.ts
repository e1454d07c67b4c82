import type { Logger } from '@baas/observability';
import type { OutboxRow } from './outbox-descriptor';

/**
 * The relay's one sleep: stop() always cuts it short, a NOTIFY (or a drain) only when the caller
 * asked for that.
 */
export function createSleeper(isStopping: () => boolean) {
  let notified = false;
  let wakeSleep: (() => void) | undefined;
  const consumeNotified = (): boolean => {
    const was = notified;
    notified = false;
    return was;
  };
  return {
    async sleep(ms: number, onNotify: boolean): Promise<void> {
      if (isStopping() || (onNotify && consumeNotified())) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeSleep = undefined;
          resolve();
        }
        wakeSleep = () => {
          if (isStopping() || (onNotify && consumeNotified())) done();
        };
      });
    },
    /** A NOTIFY, a drain, a broken session: wakes a sleep that listens for it. */
    wake(): void {
      notified = true;
      wakeSleep?.();
    },
    /** stop(): wakes any sleep. */
    interrupt(): void {
      wakeSleep?.();
    },
  };
}

/** Remembers how long the relay has been waiting at a gap in seq and warns every `warnAfterMs`. */
export function createGapWatch(log: Logger, warnAfterMs: number) {
  let since: number | undefined;
  let warnedAt: number | undefined;
  return {
    note(afterSeq: bigint, next: OutboxRow): void {
      const now = Date.now();
      since ??= now;
      const waited = now - since;
      if (waited >= warnAfterMs && (warnedAt === undefined || now - warnedAt >= warnAfterMs)) {
        warnedAt = now;
        log.warn(
          { afterSeq: afterSeq.toString(), nextSeq: next.seq.toString(), waitedMs: waited },
          'outbox has a gap in seq; waiting for the missing rows instead of skipping them',
        );
      }
    },
    clear(): void {
      since = undefined;
      warnedAt = undefined;
    },
  };
}

/** A SQLSTATE error about the data (class 22, e.g. invalid JSON), not about the connection. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** Error fields safe to log: the name, code and message of NATS, pg and PII errors carry no payload data. */
export function describeError(error: unknown): Record<string, unknown> | undefined {
  if (error === undefined) return undefined;
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(code !== undefined ? { code } : {}) };
}

/** Waits for `promise` at most `ms`; reports whether it settled. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([promise.then(() => true, () => true), timedOut]);
  clearTimeout(timer);
  return result;
}
