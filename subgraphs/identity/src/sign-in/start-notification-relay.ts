import { connectEvents, type EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import type { PrismaClient } from '../generated/prisma/client';
import { IDENTITY_NOTIFY_STREAM, notificationContext } from './notification-stream';

export type NotificationRelayOptions = {
  db: PrismaClient;
  vault: PiiVault;
  /** e.g. nats://127.0.0.1:4222 */
  natsUrl: string;
  logger: Logger;
  /** How often an idle relay looks for new rows. Default 500. */
  pollIntervalMs?: number;
  /** Rows claimed per transaction. Default 50. */
  batchSize?: number;
  /** First delay after a failure (NATS or PostgreSQL away), doubled per consecutive failure up to retryMaxMs. Default 250. */
  retryBaseMs?: number;
  /** Default 10000. */
  retryMaxMs?: number;
};

export type NotificationRelayStats = {
  /** Rows this relay published and marked sent (republished ones included). */
  published: number;
  /** Failed attempts (connecting, provisioning the stream, publishing, the database), each retried. */
  failures: number;
  /** Rows left unsent because their payload cannot be opened (logged as errors, retried every pass). */
  unreadable: number;
  /** Whether this relay has a NATS connection with the stream provisioned. */
  connected: boolean;
};

export type NotificationRelay = {
  /** Finishes the batch in flight and closes the NATS connection. */
  stop(): Promise<void>;
  stats(): NotificationRelayStats;
};

/** A row as claimed; the payload stays sealed until just before it is published. */
type OutboxClaim = { id: string; tenant_id: string; subject: string; payload_sealed: string; created_at: Date };

class PublishFailed extends Error {
  constructor(
    readonly outboxId: string,
    override readonly cause: unknown,
  ) {
    super('publishing a notification failed');
  }
}

/** How long a batch may hold its rows: a publish to an unreachable NATS takes up to its 5 s timeout. */
const BATCH_TRANSACTION_TIMEOUT_MS = 60_000;
/** How long stop() waits for the NATS connection to drain. */
const CLOSE_TIMEOUT_MS = 3000;

/**
 * Relays identity.notification_outbox to JetStream (stream IDENTITY_NOTIFY, provisioned here with
 * the same definition by every instance). Each pass claims unsent rows in creation order with
 * `FOR UPDATE SKIP LOCKED` (so instances share the work and never send a row twice at once),
 * publishes each as an @baas/events envelope `{ id: <outbox id>, type: 'identity.notify',
 * occurredAt, data: <the decrypted payload> }` with the outbox id as JetStream msgID, and marks it
 * sent in the same transaction.
 *
 * At least once, stored once: a crash (or a lost commit) between the publish and the mark leaves
 * the row unsent, and its republication inside the stream's duplicate window is dropped by
 * JetStream. While NATS (or PostgreSQL) is away nothing is lost or skipped: the relay retries the
 * same rows with capped exponential backoff and never throws.
 */
export function startNotificationRelay(opts: NotificationRelayOptions): NotificationRelay {
  const pollIntervalMs = opts.pollIntervalMs ?? 500;
  const batchSize = opts.batchSize ?? 50;
  const retryBaseMs = opts.retryBaseMs ?? 250;
  const retryMaxMs = opts.retryMaxMs ?? 10_000;
  const log = opts.logger.child({ component: 'notification-relay', stream: IDENTITY_NOTIFY_STREAM.name });

  let bus: EventBus | undefined;
  let streamReady = false;
  let stopping = false;
  let wakeSleep: (() => void) | undefined;
  let consecutiveFailures = 0;
  const stats = { published: 0, failures: 0, unreadable: 0 };

  async function sleep(ms: number): Promise<void> {
    if (stopping) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleep = undefined;
        resolve();
      }
      wakeSleep = done;
    });
  }

  async function ready(): Promise<EventBus> {
    bus ??= await connectEvents({ url: opts.natsUrl, name: 'identity-notification-relay', logger: opts.logger });
    if (!streamReady) {
      await bus.ensureStream({ ...IDENTITY_NOTIFY_STREAM, subjects: [...IDENTITY_NOTIFY_STREAM.subjects] });
      streamReady = true;
      log.info('notification relay connected; publishing');
    }
    return bus;
  }

  /** One transaction: claims up to batchSize unsent rows, publishes them in order, marks them sent. */
  async function pass(current: EventBus): Promise<number> {
    let failure: PublishFailed | undefined;
    const claimed = await opts.db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxClaim[]>`
          SELECT id::text AS id, tenant_id::text AS tenant_id, subject, payload_sealed, created_at
            FROM identity.notification_outbox
           WHERE sent_at IS NULL
           ORDER BY created_at, id
           LIMIT ${batchSize}
             FOR UPDATE SKIP LOCKED`;
        for (const row of rows) {
          if (stopping) break;
          let data: unknown;
          try {
            data = JSON.parse(opts.vault.decrypt(row.payload_sealed, notificationContext(row.tenant_id))) as unknown;
          } catch (error) {
            // Never skipped for good, but it must not hold up the rows behind it either.
            stats.unreadable += 1;
            await tx.$executeRaw`UPDATE identity.notification_outbox SET attempts = attempts + 1 WHERE id = ${row.id}::uuid`;
            log.error({ outboxId: row.id, err: describeError(error) }, 'notification payload cannot be opened; left unsent');
            continue;
          }
          try {
            await current.publish(
              row.subject,
              { id: row.id, type: 'identity.notify', occurredAt: row.created_at.toISOString(), data },
              { expectedStream: IDENTITY_NOTIFY_STREAM.name },
            );
          } catch (error) {
            await tx.$executeRaw`UPDATE identity.notification_outbox SET attempts = attempts + 1 WHERE id = ${row.id}::uuid`;
            failure = new PublishFailed(row.id, error);
            break;
          }
          await tx.$executeRaw`UPDATE identity.notification_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ${row.id}::uuid`;
          stats.published += 1;
        }
        return rows.length;
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
    );
    if (failure) throw failure;
    return claimed;
  }

  const running = (async () => {
    while (!stopping) {
      try {
        const claimed = await pass(await ready());
        consecutiveFailures = 0;
        if (claimed < batchSize) await sleep(pollIntervalMs);
      } catch (error) {
        stats.failures += 1;
        consecutiveFailures += 1;
        const retryInMs = Math.min(retryBaseMs * 2 ** Math.min(consecutiveFailures - 1, 20), retryMaxMs);
        if (error instanceof PublishFailed) {
          // The stream may have gone with a NATS restart: provision it again before the retry.
          streamReady = false;
          log.warn({ outboxId: error.outboxId, err: describeError(error.cause), attempt: consecutiveFailures, retryInMs }, 'publishing a notification failed; retrying');
        } else if (!bus || !streamReady) {
          log.warn({ err: describeError(error), attempt: consecutiveFailures, retryInMs }, 'notification relay cannot reach NATS; retrying');
        } else {
          log.warn({ err: describeError(error), attempt: consecutiveFailures, retryInMs }, 'notification relay: database pass failed; retrying');
        }
        await sleep(retryInMs);
      }
    }
  })().catch((error: unknown) => {
    // Not expected (every step catches), but a relay must not take the process down.
    log.error({ err: describeError(error) }, 'notification relay stopped unexpectedly');
  });

  return {
    async stop() {
      stopping = true;
      wakeSleep?.();
      await running;
      const closing = bus?.close();
      bus = undefined;
      if (closing) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
        const result = await Promise.race([closing.then(() => 'closed' as const, () => 'closed' as const), timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') log.warn('NATS connection did not drain in time; leaving it');
      }
    },
    stats() {
      return { ...stats, connected: bus !== undefined && streamReady };
    },
  };
}

/** Error fields safe to log: name, message and code of NATS, pg, Prisma and PII errors carry no payload. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(code !== undefined ? { code } : {}) };
}
