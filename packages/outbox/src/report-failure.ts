import type { Logger } from '@baas/observability';
import type { OutboxRow } from './outbox-descriptor';
import { describeError } from './relay-support';

export class StreamNotReady extends Error {
  constructor(override readonly cause: unknown) {
    super('provisioning the stream failed');
  }
}

/** A row that failed: a publish NATS refused or never acknowledged, or a row `prepare` could not turn into a message. */
export class PublishFailed extends Error {
  constructor(
    readonly row: OutboxRow,
    override readonly cause: unknown,
    readonly storedAfter: number,
    readonly unpublishable = false,
  ) {
    super(`publishing outbox seq ${row.seq} failed`);
  }
}

/**
 * Logs one failed attempt of the relay. Only seq numbers, subjects and error names/codes: never a
 * payload, which may hold personal data.
 */
export function reportFailure(log: Logger, error: unknown, at: { attempt: number; retryInMs: number; afterSeq?: bigint; dataError?: boolean }): void {
  const { attempt, retryInMs } = at;
  if (error instanceof PublishFailed) {
    if (error.storedAfter > 0) {
      log.error({ seq: error.row.seq.toString(), storedAfter: error.storedAfter }, 'later outbox rows were stored before this one: the stream is out of seq order here');
    }
    const fields = { seq: error.row.seq.toString(), subject: error.row.subject, err: describeError(error.cause), attempt, retryInMs };
    if (error.unpublishable) log.error(fields, 'outbox row cannot be published and is not skipped; retrying');
    else log.warn(fields, 'publishing to JetStream failed; retrying the same rows');
  } else if (error instanceof StreamNotReady) {
    log.warn({ err: describeError(error.cause), attempt, retryInMs }, 'could not provision the outbox stream; retrying');
  } else if (at.dataError) {
    // The connection (and so the lock) is fine but the query cannot convert a row. It is never
    // skipped, so this repeats until the row is dealt with.
    log.error({ err: describeError(error), afterSeq: at.afterSeq?.toString(), attempt, retryInMs }, 'outbox rows after the cursor cannot be read; retrying');
  } else {
    log.warn({ err: describeError(error), lastSeq: at.afterSeq?.toString(), attempt, retryInMs }, 'outbox relay lost its lock session (database error); will retake it');
  }
}
