import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { createPrismaClient } from '@baas/db';
import { decodeEvent } from '@baas/events';
import { createLogger } from '@baas/observability';
import type { StartedOutboxRelay } from '@baas/outbox';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { createPaymentOrder, transition } from '../../src/domain/payment-order';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createPaymentOrderStore, orderOf } from '../../src/store/payment-order-store';
import { startPaymentEventRelay } from '../../src/workers/payment-event-relay';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

// Every transition of a payment order is published (issue 13): the event is written with the
// transition (the outbox), and the relay delivers it to JetStream once, in order, under the
// outbox's event id (JetStream de-duplicates a repeat). Here on a stream and subjects of this run's own.
describe('payments events: every order transition reaches JetStream (PostgreSQL, NATS)', { timeout: 60_000 }, () => {
  const run = `pay${randomBytes(4).toString('hex')}`;
  const stream = { name: `PAY_${run}`, subjects: [`${run}.>`] };
  const logger = createLogger({ service: 'payments-events-test', level: 'silent' });
  let database: TestDatabase;
  let db: PrismaClient;
  let nc: NatsConnection;
  let relay: StartedOutboxRelay | null = null;

  before(async () => {
    database = await createTestDatabase({ domains: ['payments'] });
    db = createPrismaClient(PrismaClient, database.url);
    nc = await connect({ servers: NATS_URL, name: 'payments-events-test' });
  });
  after(async () => {
    await relay?.stop();
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(stream.name).catch(() => undefined);
      await nc.close();
    }
    await db?.$disconnect();
    await database?.drop();
  });

  it('created, approved and denied orders publish payments.order.<state> with the order, in order, once', async () => {
    const store = createPaymentOrderStore(db);
    const id = randomUUID();
    const fields = {
      id, tenantId: randomUUID(), customerId: randomUUID(), accountId: randomUUID(), ledgerAccountId: randomUUID(), direction: 'OUT', kind: 'PAYMENT', feeAmount: 0n,
      endToEndId: `E99999999202612051200${randomBytes(6).toString('hex').slice(0, 11)}`, returnOfId: null, counterparty: {}, counterpartyAccountId: null, pixKey: null,
      chargeTxid: null, description: null, railData: {}, requestHash: 'h', nextAttemptAt: null,
    };
    const created = await store.insert(fields, createPaymentOrder({ id, rail: 'PIX', amount: 2_500n, currency: 'BRL', at: new Date() }), null);
    assert.ok(created);
    const denied = await store.apply(created, transition(orderOf(created), { type: 'DENY', reason: 'LIMIT_EXCEEDED' }, new Date()));
    assert.ok(denied);

    relay = startPaymentEventRelay({ databaseUrl: database.url, natsUrl: NATS_URL, logger, relayName: run, stream, subject: (s) => `${run}.${s}`, pollIntervalMs: 100 });
    await relay.drain();
    const jsm = await nc.jetstreamManager();
    assert.equal((await jsm.streams.info(stream.name)).state.messages, 2);
    const events = [];
    for (const seq of [1, 2]) {
      const msg = await jsm.streams.getMessage(stream.name, { seq });
      events.push({ subject: msg.subject, event: decodeEvent<{ orderId: string; from: string | null; to: string; amount: string; denialReason?: string }>(msg.data) });
    }
    assert.deepEqual(events.map((e) => e.subject), [`${run}.payments.order.created`, `${run}.payments.order.denied`]);
    assert.deepEqual(events.map((e) => [e.event.type, e.event.data.orderId, e.event.data.from, e.event.data.to]), [
      ['payments.order.created', id, null, 'CREATED'],
      ['payments.order.denied', id, 'CREATED', 'DENIED'],
    ]);
    assert.equal(events[1]!.event.data.denialReason, 'LIMIT_EXCEEDED');
    assert.equal(events[0]!.event.data.amount, '2500', 'money as a decimal string of minor units, never a number');
    const stored = await db.$queryRaw<{ event_id: string }[]>`SELECT event_id::text FROM payments.payment_event_outbox ORDER BY seq`;
    assert.deepEqual(events.map((e) => e.event.id), stored.map((r) => r.event_id));

    // The same transition applied again publishes nothing new (idempotent).
    assert.equal((transition(orderOf(denied), { type: 'DENY', reason: 'LIMIT_EXCEEDED' }, new Date())).changed, false);
    await relay.drain();
    assert.equal((await jsm.streams.info(stream.name)).state.messages, 2);
  });
});
