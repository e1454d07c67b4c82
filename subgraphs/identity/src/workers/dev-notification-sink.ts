import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeEmail, normalizePhoneE164 } from '@baas/br-documents';
import { decodeEvent } from '@baas/events';
import type { Logger } from '@baas/observability';
import { sendJson, type Route } from '@baas/server';
import { connect, type NatsConnection } from 'nats';
import { IDENTITY_NOTIFY_STREAM, type AccountNotice, type NotificationChannel, type NotificationPayload } from './notification-stream';

/** A notification the relay sent, as the development sink keeps it. Holds codes and links: development only. */
export type SentNotification = {
  /** The outbox id (the event id). */
  id: string;
  subject: string;
  template: string;
  channel: NotificationChannel;
  to: string;
  tenantId: string;
  /** Sign-in codes only. */
  challengeId?: string;
  code?: string;
  /** Security notices (passkey changes) only. */
  customerId?: string;
  details?: Record<string, string>;
  link?: string;
  expiresAt?: string;
  /** When the notification was written (the event's occurredAt). */
  occurredAt: string;
  /** When the sink received it. */
  receivedAt: string;
};

export type NotificationFilter = { to?: string; tenantId?: string; challengeId?: string };

export type DevNotificationSink = {
  /** GET /dev/notifications?to=<destination>&tenantId=<uuid>&challengeId=<uuid>: `{ notifications: [...] }`, newest first. */
  route: Route;
  /** What was received, newest first, optionally filtered (`to` is normalised like the sign-in destination). */
  messages(filter?: NotificationFilter): SentNotification[];
  stop(): Promise<void>;
};

export type DevNotificationSinkOptions = { natsUrl: string; logger: Logger; /** Messages kept (the newest). Default 200. */ keep?: number };

/**
 * Development stand-in for the e-mail and SMS providers: a core NATS subscription on
 * `identity.notify.>` that keeps the last `keep` notifications in memory and serves them over
 * HTTP, so a developer (or an end-to-end test) can read the code that was "sent". Never mount it in
 * production: it serves one-time codes and magic links to anyone who asks.
 *
 * A core subscription sees every publish, including republications JetStream drops as duplicates,
 * so messages are de-duplicated by event id.
 */
export async function createDevNotificationSink(opts: DevNotificationSinkOptions): Promise<DevNotificationSink> {
  const keep = opts.keep ?? 200;
  if (!Number.isSafeInteger(keep) || keep < 1) throw new TypeError('dev notification sink: keep must be a positive integer');
  const log = opts.logger.child({ component: 'dev-notification-sink' });
  const nc: NatsConnection = await connect({ servers: opts.natsUrl, name: 'identity-dev-notification-sink', maxReconnectAttempts: -1 });
  /** Oldest first; at most `keep`. */
  const kept: SentNotification[] = [];

  const subjects = IDENTITY_NOTIFY_STREAM.subjects;
  const subscriptions = subjects.map((subject) =>
    nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) {
          log.warn({ err: { name: err.name, message: err.message, code: err.code } }, 'dev notification sink subscription error');
          return;
        }
        const notification = readNotification(msg.subject, msg.data);
        if (!notification) {
          log.debug({ subject: msg.subject }, 'dev notification sink: message is not a sign-in notification; ignored');
          return;
        }
        if (kept.some((n) => n.id === notification.id)) return;
        kept.push(notification);
        if (kept.length > keep) kept.splice(0, kept.length - keep);
      },
    }),
  );
  // The subscription is registered on the server once this round trip returns.
  await nc.flush();
  log.warn('development notification sink is on: one-time codes are served at /dev/notifications');

  function messages(filter: NotificationFilter = {}): SentNotification[] {
    const to = filter.to ? normaliseDestination(filter.to) : undefined;
    const tenantId = filter.tenantId?.toLowerCase();
    const challengeId = filter.challengeId?.toLowerCase();
    return kept
      .filter((n) => (to === undefined || n.to === to) && (tenantId === undefined || n.tenantId === tenantId) && (challengeId === undefined || n.challengeId === challengeId))
      .reverse();
  }

  const route: Route = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const filter: NotificationFilter = {};
    for (const key of ['to', 'tenantId', 'challengeId'] as const) {
      const value = query.get(key);
      if (value) filter[key] = value;
    }
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, { notifications: messages(filter) });
  };

  let stopped: Promise<void> | undefined;
  return {
    route,
    messages,
    stop: () =>
      (stopped ??= (async () => {
        for (const sub of subscriptions) sub.unsubscribe();
        if (!nc.isClosed()) await nc.close();
      })()),
  };
}

/** The destination as sign-in stores it: a normalised e-mail, or E.164 for anything else that parses. */
function normaliseDestination(value: string): string {
  const trimmed = value.trim();
  return (trimmed.includes('@') ? normalizeEmail(trimmed) : normalizePhoneE164(trimmed)) ?? trimmed;
}

function readNotification(subject: string, data: Uint8Array): SentNotification | undefined {
  let event;
  try {
    event = decodeEvent<Partial<Omit<NotificationPayload, 'template'> & Omit<AccountNotice, 'template'> & { template: string }>>(data);
  } catch {
    return undefined;
  }
  const p = event.data;
  if (!p || typeof p !== 'object') return undefined;
  if ((p.channel !== 'EMAIL' && p.channel !== 'SMS') || typeof p.to !== 'string' || typeof p.tenantId !== 'string') return undefined;
  const signIn = typeof p.challengeId === 'string' && typeof p.code === 'string';
  if (!signIn && typeof p.customerId !== 'string') return undefined;
  return {
    id: event.id,
    subject,
    template: typeof p.template === 'string' ? p.template : 'unknown',
    channel: p.channel,
    to: p.to,
    tenantId: p.tenantId,
    ...(signIn ? { challengeId: p.challengeId, code: p.code } : {}),
    ...(typeof p.customerId === 'string' ? { customerId: p.customerId } : {}),
    ...(p.details && typeof p.details === 'object' ? { details: p.details } : {}),
    ...(typeof p.link === 'string' ? { link: p.link } : {}),
    ...(typeof p.expiresAt === 'string' ? { expiresAt: p.expiresAt } : {}),
    occurredAt: event.occurredAt,
    receivedAt: new Date().toISOString(),
  };
}
