import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { decodeEvent } from '@baas/events';
import { createLogger } from '@baas/observability';
import type { StartedOutboxRelay } from '@baas/outbox';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createAccountStore } from '../../src/store/account-store';
import { createSagaStore } from '../../src/store/saga-store';
import { accountsEventsStream, startAccountEventRelay } from '../../src/workers/account-event-relay';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

// The accounts subgraph's events reach JetStream: written with the change (the outbox), relayed once,
// in order, under the outbox's event id (JetStream de-duplicates a repeat). Here on a stream and
// subjects of this run's own (the subject prefix, as EVENTS_SUBJECT_PREFIX does on a shared NATS).
describe('accounts events: opened accounts and finished transfers reach JetStream (PostgreSQL, NATS)', { timeout: 60_000 }, () => {
  const run = `acc${randomBytes(4).toString('hex')}`;
  const streamName = `ACC_${run}`;
  const logger = createLogger({ service: 'accounts-events-test', level: 'silent' });
  let database: TestDatabase;
  let db: PrismaClient;
  let nc: NatsConnection;
  let relay: StartedOutboxRelay | null = null;

  before(async () => {
    database = await createTestDatabase({ domains: ['accounts'] });
    db = createPrismaClient(PrismaClient, database.url);
    nc = await connect({ servers: NATS_URL, name: 'accounts-events-test' });
  });
  after(async () => {
    await relay?.stop();
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(streamName).catch(() => undefined);
      await nc.close();
    }
    await db?.$disconnect();
    await database?.drop();
  });

  it('the stream takes accounts.>', () => {
    assert.deepEqual(accountsEventsStream('ACCOUNTS_EVENTS').subjects, ['accounts.>']);
  });

  it('accounts.account.opened and accounts.transfer.completed are published with their data, in order, once', async () => {
    const accounts = createAccountStore(db);
    const sagas = createSagaStore(db);
    const tenantId = randomUUID();
    const customerId = randomUUID();
    const id = uuidv7();
    await accounts.insert({ id, tenantId, customerId, currency: 'BRL', branch: '0001', requestHash: 'h', numberFor: () => ({ number: '00000001', checkDigit: '7' }) });
    await accounts.recordLedgerAccount(id);
    const transferId = uuidv7();
    const started = await sagas.insert({ id: transferId, kind: 'TRANSFER', tenantId, customerId, fromAccountId: id, toAccountId: randomUUID(), amount: 2_500n, currency: 'BRL', description: null, requestHash: 'h' }, 10_000);
    assert.ok(started);
    await sagas.save(started, { status: 'SUCCEEDED', step: 'POST' }, 10_000);

    relay = startAccountEventRelay({ databaseUrl: database.url, natsUrl: NATS_URL, logger, relayName: run, stream: streamName, subjectPrefix: run, pollIntervalMs: 100 });
    await relay.drain();
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(streamName);
    assert.deepEqual(info.config.subjects, [`${run}.accounts.>`]);
    assert.equal(info.state.messages, 2);
    const events = [];
    for (const seq of [1, 2]) {
      const msg = await jsm.streams.getMessage(streamName, { seq });
      events.push({ subject: msg.subject, event: decodeEvent<Record<string, unknown>>(msg.data) });
    }
    assert.deepEqual(events.map((e) => e.subject), [`${run}.accounts.account.opened`, `${run}.accounts.transfer.completed`]);
    assert.deepEqual(events.map((e) => e.event.type), ['accounts.account.opened', 'accounts.transfer.completed'], 'the envelope type is the stored subject');
    assert.deepEqual([events[0]!.event.data.accountId, events[0]!.event.data.tenantId, events[0]!.event.data.ledgerAccountId], [id, tenantId, id]);
    assert.deepEqual([events[1]!.event.data.transferId, events[1]!.event.data.tenantId, events[1]!.event.data.amount, events[1]!.event.data.status], [transferId, tenantId, '2500', 'COMPLETED']);
    const stored = await db.$queryRaw<{ event_id: string }[]>`SELECT event_id::text FROM accounts.account_event_outbox ORDER BY seq`;
    assert.deepEqual(events.map((e) => e.event.id), stored.map((r) => r.event_id));

    // The same steps again publish nothing new.
    await accounts.recordLedgerAccount(id);
    await sagas.save(started, { status: 'SUCCEEDED', step: 'POST' }, 10_000);
    await relay.drain();
    assert.equal((await jsm.streams.info(streamName)).state.messages, 2);
  });
});
