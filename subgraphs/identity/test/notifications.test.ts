import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt, randomUUID } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { Redis } from 'ioredis';
import { cpfCheckDigits } from '@baas/br-documents';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { decodeEvent } from '@baas/events';
import { createLogger } from '@baas/observability';
import { createPiiVault, generatePiiKey, type PiiVault } from '@baas/pii';
import { createTestDatabase, eventually, freePort } from '@baas/testing';
import { PrismaClient } from '../src/generated/prisma/client';
import { startSignIn, type SignInChallengeView, type StartSignInDeps } from '../src/use-cases/start-sign-in';
import { createDevNotificationSink, type SentNotification } from '../src/workers/dev-notification-sink';
import { startNotificationRelay, type NotificationRelay } from '../src/workers/notification-relay';
import { IDENTITY_NOTIFY_STREAM, notificationContext, type NotificationPayload } from '../src/workers/notification-stream';
import { createCustomer, signInDeps } from './helpers/seed';

const NATS_URL = 'nats://127.0.0.1:4222';

type Received = { subject: string; id: string; type: string; data: NotificationPayload };

describe('notification outbox relay and development sink (PostgreSQL, NATS JetStream)', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let redis: Redis;
  let vault: PiiVault;
  let nc: NatsConnection;
  let deps: StartSignInDeps;
  const tenants: string[] = [];
  const relays: NotificationRelay[] = [];
  const prefix = `test:identity-notify:${randomUUID()}`;
  const logger = createLogger({ service: 'identity-test', level: process.env.LOG_LEVEL ?? 'silent' });

  before(async () => {
    testDb = await createTestDatabase({ domains: ['identity'] });
    db = createPrismaClient(PrismaClient, testDb.url);
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    vault = createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() });
    nc = await connect({ servers: NATS_URL, name: 'identity-notifications-test' });
    deps = signInDeps({
      db,
      redis,
      vault,
      logger,
      config: { OTP_TTL_SECONDS: 300, OTP_MAX_ATTEMPTS: 5, OTP_SENDS_PER_WINDOW: 100, OTP_SEND_WINDOW_SECONDS: 900, MAGIC_LINK_URL: 'https://app.example/magic', REDIS_PREFIX: prefix },
    });
  });

  after(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    if (nc) {
      // The stream is shared (subjects may not overlap between streams): remove only this file's messages.
      const jsm = await nc.jetstreamManager();
      for (const tenant of tenants) await jsm.streams.purge(IDENTITY_NOTIFY_STREAM.name, { filter: `identity.notify.*.${tenant}` }).catch(() => {});
      await nc.close();
    }
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await db?.$disconnect();
    await testDb?.drop();
  });

  /** A tenant with `customers` customers, each with an e-mail and a phone. */
  async function tenantWithCustomers(customers: number) {
    const tenantId = uuidv7();
    tenants.push(tenantId);
    await db.tenant.create({ data: { id: tenantId, slug: `t-${tenantId}`, name: 'Test tenant' } });
    const contacts: { email: string; phone: string }[] = [];
    for (let i = 0; i < customers; i++) {
      const base = String(randomInt(100_000_000, 999_999_999));
      const email = `c${i}.${randomUUID().slice(0, 8)}@example.com`;
      const phone = `+55119${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      await createCustomer(db, vault, { id: uuidv7(), tenantId, kind: 'PERSON', displayName: `Customer ${i}`, taxId: base + cpfCheckDigits(base), email, phone });
      contacts.push({ email, phone });
    }
    return { tenantId, contacts };
  }

  /** Everything published under the tenant's subjects, decoded, as it arrives. */
  function listen(tenantId: string): { received: Received[]; sub: Subscription } {
    const received: Received[] = [];
    const sub = nc.subscribe(`identity.notify.*.${tenantId}`, {
      callback: (err, msg) => {
        if (err) return;
        const event = decodeEvent<NotificationPayload>(msg.data);
        received.push({ subject: msg.subject, id: event.id, type: event.type, data: event.data });
      },
    });
    return { received, sub };
  }

  function relay(opts: { natsUrl?: string } = {}): NotificationRelay {
    const r = startNotificationRelay({ databaseUrl: testDb.url, vault, natsUrl: opts.natsUrl ?? NATS_URL, logger, pollIntervalMs: 50, retryBaseMs: 50, retryMaxMs: 200, lockRetryMs: 50, revisitIntervalMs: 200 });
    relays.push(r);
    return r;
  }

  async function stopRelay(r: NotificationRelay): Promise<void> {
    await r.stop();
    relays.splice(relays.indexOf(r), 1);
  }

  /** Messages the stream stores under the tenant's subjects. */
  async function storedCount(tenantId: string): Promise<number> {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(IDENTITY_NOTIFY_STREAM.name, { subjects_filter: `identity.notify.*.${tenantId}` });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  }

  const unsent = (tenantId: string) => db.notificationOutbox.count({ where: { tenantId, sentAt: null } });

  /** The code sealed in the outbox for a challenge. */
  async function outboxCode(challengeId: string): Promise<string> {
    for (const row of await db.notificationOutbox.findMany()) {
      const payload = JSON.parse(vault.decrypt(row.payloadSealed, notificationContext(row.tenantId))) as NotificationPayload;
      if (payload.challengeId === challengeId) return payload.code;
    }
    throw new Error('no notification for this challenge');
  }

  it('publishes every outbox row once, in creation order, with the code inside, and marks it sent', async () => {
    const { tenantId, contacts } = await tenantWithCustomers(3);
    const { received, sub } = listen(tenantId);
    await nc.flush();
    const challenges: SignInChallengeView[] = [];
    for (const c of contacts) {
      challenges.push(await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: c.email, magicLink: true }));
      challenges.push(await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'SMS', destination: c.phone }));
    }
    const r = relay();
    await eventually(async () => assert.equal(await unsent(tenantId), 0), { attempts: 100 });
    await eventually(async () => assert.equal(received.length, challenges.length));
    sub.unsubscribe();

    const rows = await db.notificationOutbox.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    assert.deepEqual(received.map((m) => m.id), rows.map((row) => row.id), 'one message per row, in creation order, the outbox id as event id');
    for (const [i, m] of received.entries()) {
      const challenge = challenges[i]!;
      assert.equal(m.type, 'identity.notify');
      assert.equal(m.subject, `identity.notify.${challenge.channel === 'EMAIL' ? 'email' : 'sms'}.${tenantId}`);
      assert.equal(m.data.challengeId, challenge.id);
      assert.equal(m.data.template, 'sign-in');
      assert.equal(m.data.tenantId, tenantId);
      assert.equal(m.data.code, await outboxCode(challenge.id));
      if (challenge.channel === 'EMAIL') assert.match(m.data.link ?? '', /^https:\/\/app\.example\/magic\?token=[A-Za-z0-9_-]{43}$/);
      else assert.equal(m.data.link, undefined);
    }
    for (const row of rows) assert.ok(row.sentAt && row.attempts === 1, 'marked sent after one attempt');
    assert.equal(await storedCount(tenantId), challenges.length);
    assert.equal(r.stats().connected, true);
    assert.ok(r.stats().published >= challenges.length, 'the relay counted its publishes');
  });

  it('a row republished after a crash before it was marked is stored once (de-duplicated by outbox id)', async () => {
    const { tenantId, contacts } = await tenantWithCustomers(1);
    const { received, sub } = listen(tenantId);
    await nc.flush();
    await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: contacts[0]!.email });
    if (relays.length === 0) relay();
    await eventually(async () => assert.equal(await unsent(tenantId), 0), { attempts: 100 });
    // The crash: the publish happened, the mark did not.
    await db.notificationOutbox.updateMany({ where: { tenantId }, data: { sentAt: null } });
    await eventually(async () => assert.equal(await unsent(tenantId), 0), { attempts: 100 });
    await eventually(async () => assert.equal(received.length, 2), { attempts: 50 });
    sub.unsubscribe();
    assert.equal(received[0]!.id, received[1]!.id);
    assert.equal(await storedCount(tenantId), 1, 'JetStream stored it once');
  });

  it('two relays: one publishes while the other stands by, which takes over from the cursor; each row is sent once', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const { tenantId, contacts } = await tenantWithCustomers(1);
    const { received, sub } = listen(tenantId);
    await nc.flush();
    const count = 40;
    const signIn = (i: number) =>
      startSignIn(deps, { id: uuidv7(), tenantId, channel: i % 2 ? 'SMS' : 'EMAIL', destination: i % 2 ? contacts[0]!.phone : contacts[0]!.email });
    for (let i = 0; i < count / 2; i++) await signIn(i);
    const options = { databaseUrl: testDb.url, vault, natsUrl: NATS_URL, logger, pollIntervalMs: 20, batchSize: 3, lockRetryMs: 50 };
    const a = startNotificationRelay(options);
    const b = startNotificationRelay(options);
    relays.push(a, b);
    await eventually(async () => assert.equal(await unsent(tenantId), 0, 'the first half is sent'), { attempts: 200 });
    const [active, standby] = a.stats().active ? [a, b] : [b, a];
    assert.equal(standby.stats().active, false, 'one relay publishes at a time (advisory lock)');
    assert.equal(standby.stats().published, 0);
    await stopRelay(active);
    for (let i = count / 2; i < count; i++) await signIn(i);
    await eventually(async () => assert.equal(await unsent(tenantId), 0, 'the standby sent the second half'), { attempts: 200 });
    await eventually(async () => assert.equal(received.length, count, 'every row arrived'));
    await new Promise((r) => setTimeout(r, 200));
    sub.unsubscribe();
    assert.equal(received.length, count, 'no row was published twice');
    assert.equal(new Set(received.map((m) => m.id)).size, count);
    assert.ok(a.stats().published > 0 && b.stats().published > 0, `both relays worked (${a.stats().published} + ${b.stats().published})`);
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  it('keeps rows unsent without throwing while NATS is unreachable, then a relay on NATS sends them', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const { tenantId, contacts } = await tenantWithCustomers(2);
    const { received, sub } = listen(tenantId);
    await nc.flush();
    for (const c of contacts) await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: c.email });

    const offline = relay({ natsUrl: `nats://127.0.0.1:${await freePort()}` });
    await eventually(async () => assert.ok(offline.stats().failures >= 3, 'it keeps retrying'), { attempts: 100 });
    assert.equal(offline.stats().connected, false);
    assert.equal(await unsent(tenantId), 2, 'nothing lost, nothing marked');
    await stopRelay(offline);

    relay();
    await eventually(async () => assert.equal(await unsent(tenantId), 0), { attempts: 100 });
    await eventually(async () => assert.equal(received.length, 2));
    sub.unsubscribe();
  });

  it('provisions the stream idempotently when several relays start at once', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const many = Array.from({ length: 4 }, () => relay());
    // Every assertion retried by eventually() carries a message: without one, node:assert parses the
    // (transpiled) source to build it, which can take minutes.
    await eventually(async () => assert.equal(many.filter((r) => r.stats().connected).length, many.length, 'every relay connected'), { attempts: 100 });
    const jsm = await nc.jetstreamManager();
    const { config } = await jsm.streams.info(IDENTITY_NOTIFY_STREAM.name);
    assert.deepEqual(config.subjects, ['identity.notify.>']);
    assert.equal(config.max_age, IDENTITY_NOTIFY_STREAM.maxAgeMs * 1_000_000);
    assert.equal(config.duplicate_window, IDENTITY_NOTIFY_STREAM.duplicateWindowMs * 1_000_000);
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  it('the development sink keeps what was sent and serves it at /dev/notifications, newest first', async () => {
    const sink = await createDevNotificationSink({ natsUrl: NATS_URL, logger, keep: 3 });
    const server = createHttpServer((req, res) => void sink.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/notifications`;
    try {
      const { tenantId, contacts } = await tenantWithCustomers(2);
      const [ana, bia] = contacts as [{ email: string; phone: string }, { email: string; phone: string }];
      const first = await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: ana.email, magicLink: true });
      const second = await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: ana.email });
      const other = await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'SMS', destination: bia.phone });
      relay();
      await eventually(async () => assert.equal(sink.messages({ tenantId }).length, 3), { attempts: 100 });

      // Another spelling of the same address finds it; newest first.
      const res = await fetch(`${base}?to=${encodeURIComponent(ana.email.replace('example.com', 'EXAMPLE.COM'))}&tenantId=${tenantId}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const body = (await res.json()) as { notifications: SentNotification[] };
      assert.deepEqual(body.notifications.map((n) => n.challengeId), [second.id, first.id]);
      assert.equal(body.notifications[1]!.code, await outboxCode(first.id));
      assert.match(body.notifications[1]!.link ?? '', /token=/);
      assert.equal(body.notifications[0]!.to, ana.email);

      const sms = (await (await fetch(`${base}?to=${encodeURIComponent(bia.phone)}`)).json()) as { notifications: SentNotification[] };
      assert.deepEqual(sms.notifications.map((n) => [n.challengeId, n.channel, n.code]), [[other.id, 'SMS', await outboxCode(other.id)]]);
      assert.equal((await fetch(base, { method: 'POST' })).status, 405);

      // A republication is not a second notification; past `keep`, the oldest goes.
      await db.notificationOutbox.updateMany({ where: { tenantId }, data: { sentAt: null } });
      await eventually(async () => assert.equal(await unsent(tenantId), 0), { attempts: 100 });
      const third = await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: bia.email });
      await eventually(async () => assert.equal(sink.messages({ challengeId: third.id }).length, 1), { attempts: 100 });
      assert.deepEqual(sink.messages({ tenantId }).map((n) => n.challengeId), [third.id, other.id, second.id]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sink.stop();
    }
  });

  it('a row it cannot open stays unsent and does not hold up the rows behind it', async () => {
    const { tenantId, contacts } = await tenantWithCustomers(1);
    const stranger = createPiiVault({ keys: { other: generatePiiKey() }, activeKeyId: 'other', blindIndexKey: generatePiiKey() });
    // Listening first: the relay still running from the test before is woken by the commit (NOTIFY).
    const { received, sub } = listen(tenantId);
    await nc.flush();
    const poison = uuidv7();
    await db.notificationOutbox.create({
      data: { id: poison, tenantId, subject: `identity.notify.email.${tenantId}`, payloadSealed: stranger.encrypt('{}', notificationContext(tenantId)) },
    });
    const challenge = await startSignIn(deps, { id: uuidv7(), tenantId, channel: 'EMAIL', destination: contacts[0]!.email });
    const r = relays[0] ?? relay();
    await eventually(async () => assert.equal(await unsent(tenantId), 1, 'only the unreadable row is left'), { attempts: 100 });
    await eventually(async () => assert.equal(received.length, 1, 'the readable row was published'));
    sub.unsubscribe();
    assert.equal(received[0]!.data.challengeId, challenge.id);
    const left = await db.notificationOutbox.findUniqueOrThrow({ where: { id: poison } });
    assert.equal(left.sentAt, null);
    assert.ok(left.attempts >= 1, 'its attempts are counted');
    assert.ok(r.stats().unreadable >= 1, 'and reported');
    await db.notificationOutbox.delete({ where: { id: poison } });
  });
});
