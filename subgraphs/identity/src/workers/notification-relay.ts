import type { Logger } from '@baas/observability';
import { startOutboxRelay, type OutboxDescriptor, type OutboxRelayStats } from '@baas/outbox';
import type { PiiVault } from '@baas/pii';
import { IDENTITY_NOTIFY_STREAM, notificationContext } from './notification-stream';

export type NotificationRelayOptions = {
  /** The identity database (the relay keeps a pool of two connections: the lock's and drain()'s). */
  databaseUrl: string;
  vault: PiiVault;
  /** e.g. nats://127.0.0.1:4222 */
  natsUrl: string;
  logger: Logger;
  /** Instances sharing a name share the work, one at a time. Default 'jetstream'. */
  relayName?: string;
  /** Fallback poll when no NOTIFY arrives. Default 500. */
  pollIntervalMs?: number;
  /** Rows read per query. Default 50. */
  batchSize?: number;
  /** First delay after a failure (NATS or PostgreSQL away), doubled per consecutive failure up to retryMaxMs. Default 250. */
  retryBaseMs?: number;
  /** Default 10000. */
  retryMaxMs?: number;
  /** How often a standby tries to take over. Default 5000. */
  lockRetryMs?: number;
  /** How often rows left unsent (unreadable, or reset to be sent again) are tried again. Default 5000. */
  revisitIntervalMs?: number;
};

export type NotificationRelayStats = OutboxRelayStats;

export type NotificationRelay = {
  /** Finishes the wave in flight, records the cursor, releases the lock and closes the NATS connection. */
  stop(): Promise<void>;
  stats(): NotificationRelayStats;
};

/**
 * identity.notification_outbox as an @baas/outbox outbox: rows numbered by its trigger (gapless, in
 * commit order, NOTIFY at commit), a cursor per relay name, delivery tracked in sent_at/attempts.
 * A row's payload stays sealed until just before its publish; one that cannot be opened (a key this
 * process lacks) is skipped, logged by seq and id only, left unsent and tried again on revisits.
 */
export function notificationOutbox(vault: PiiVault): OutboxDescriptor {
  return {
    table: 'identity.notification_outbox',
    cursorTable: 'identity.notification_outbox_cursor',
    channel: 'identity_notification_outbox',
    stream: IDENTITY_NOTIFY_STREAM,
    columns: { eventId: 'id', payload: 'payload_sealed' },
    extraColumns: ['tenant_id'],
    tracking: { sentAt: 'sent_at', attempts: 'attempts' },
    prepare(row) {
      let data: unknown;
      try {
        data = JSON.parse(vault.decrypt(row.payload as string, notificationContext(row.extra.tenant_id ?? ''))) as unknown;
      } catch {
        return { skip: 'notification payload cannot be opened' };
      }
      return { subject: row.subject, event: { id: row.eventId, type: 'identity.notify', occurredAt: row.createdAt.toISOString(), data } };
    },
  };
}

/**
 * Relays the notification outbox to JetStream (stream IDENTITY_NOTIFY, provisioned by every
 * instance), one instance at a time; the others stand by and take over from the cursor. Starts in
 * the background and never throws: while NATS or PostgreSQL is away it retries with capped backoff.
 */
export function startNotificationRelay(opts: NotificationRelayOptions): NotificationRelay {
  return startOutboxRelay({
    databaseUrl: opts.databaseUrl,
    natsUrl: opts.natsUrl,
    name: 'identity-notification-relay',
    outbox: notificationOutbox(opts.vault),
    logger: opts.logger,
    pollIntervalMs: opts.pollIntervalMs ?? 500,
    batchSize: opts.batchSize ?? 50,
    retryBaseMs: opts.retryBaseMs ?? 250,
    retryMaxMs: opts.retryMaxMs ?? 10_000,
    ...(opts.relayName ? { relayName: opts.relayName } : {}),
    ...(opts.lockRetryMs ? { lockRetryMs: opts.lockRetryMs } : {}),
    ...(opts.revisitIntervalMs ? { revisitIntervalMs: opts.revisitIntervalMs } : {}),
  });
}
