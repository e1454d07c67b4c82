import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { StorageType, nanos } from 'nats';
import type { NatsConnection } from 'nats';
import { getRequestContext, runWithRequestContext } from '@baas/observability';
import { connectEvents, CORRELATION_ID_HEADER, TRACEPARENT_HEADER } from '../src/index';
import type { DeliveryMeta, EventBus, EventEnvelope } from '../src/index';
import { NATS_URL, adminConnection, collector, deleteStreams, uniqueNames, within } from './helpers';

const TEST_TIMEOUT = 30_000;
// Short pulls keep each stop() (which waits out the open pull on an idle stream) near 1 s.
const PULL = { pullExpiresMs: 1000 };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('@baas/events against NATS JetStream', () => {
  let bus: EventBus;
  let admin: NatsConnection;
  const streams: string[] = [];

  // Every test gets its own stream, deleted after the run.
  async function freshStream(label: string) {
    const names = uniqueNames(label);
    streams.push(names.stream);
    await bus.ensureStream({ name: names.stream, subjects: [`${names.subject}.>`] });
    return names;
  }

  before(async () => {
    bus = await within(connectEvents({ url: NATS_URL, name: 'events-test' }), 5000, 'connectEvents');
    admin = await within(adminConnection(), 5000, 'admin connection');
  });

  after(async () => {
    await within(deleteStreams(admin, streams), 5000, 'stream cleanup');
    await within(bus.close(), 5000, 'bus.close');
    await within(admin.drain(), 5000, 'admin drain');
  });

  it('provisions a stream idempotently and updates its subjects', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = uniqueNames('provision');
    streams.push(stream);
    const def = { name: stream, subjects: [`${subject}.a.>`] };
    await bus.ensureStream(def);
    await bus.ensureStream(def);
    const jsm = await admin.jetstreamManager();
    let info = await jsm.streams.info(stream);
    assert.equal(info.config.storage, StorageType.File);
    assert.equal(info.config.duplicate_window, nanos(2 * 60_000));
    assert.deepEqual(info.config.subjects, [`${subject}.a.>`]);

    await bus.ensureStream({ ...def, subjects: [`${subject}.a.>`, `${subject}.b.>`], maxAgeMs: 3_600_000 });
    info = await jsm.streams.info(stream);
    assert.deepEqual([...info.config.subjects].sort(), [`${subject}.a.>`, `${subject}.b.>`]);
    assert.equal(info.config.max_age, nanos(3_600_000));
  });

  it('stores an event published twice once, with context headers and bigint as a string', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('dedup');
    const event = { id: 'evt-dedup-1', type: 'ledger.entry.posted', data: { amount: 12345678901234567890n, currency: 'BRL' } };
    const first = await runWithRequestContext({ correlationId: 'corr-dedup', traceparent: TRACEPARENT }, () =>
      bus.publish(`${subject}.posted`, event, { expectedStream: stream }),
    );
    const second = await bus.publish(`${subject}.posted`, event);
    assert.deepEqual(first, { seq: 1, duplicate: false });
    assert.deepEqual(second, { seq: 1, duplicate: true });

    const jsm = await admin.jetstreamManager();
    assert.equal((await jsm.streams.info(stream)).state.messages, 1);
    const stored = await jsm.streams.getMessage(stream, { seq: 1 });
    assert.equal(stored.header.get(CORRELATION_ID_HEADER), 'corr-dedup');
    assert.equal(stored.header.get(TRACEPARENT_HEADER), TRACEPARENT);
    const envelope = stored.json<EventEnvelope<{ amount: string; currency: string }>>();
    assert.equal(envelope.id, 'evt-dedup-1');
    assert.equal(envelope.type, 'ledger.entry.posted');
    assert.deepEqual(envelope.data, { amount: '12345678901234567890', currency: 'BRL' });
    assert.ok(!Number.isNaN(Date.parse(envelope.occurredAt)));
  });

  it('rejects a publish to a subject outside the expected stream', { timeout: TEST_TIMEOUT }, async () => {
    const { subject } = await freshStream('expect');
    await assert.rejects(bus.publish(`${subject}.x`, { id: 'evt-x', type: 't', data: null }, { expectedStream: 'SOME_OTHER_STREAM' }));
  });

  it('delivers every event exactly once, in order, with the producer context', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('order');
    const total = 25;
    for (let i = 1; i <= total; i++) {
      await runWithRequestContext({ correlationId: `corr-${i}`, traceparent: TRACEPARENT }, () =>
        bus.publish(`${subject}.n`, { id: `evt-${i}`, type: 'test.counted', data: { i } }),
      );
    }
    const got = collector<{ event: EventEnvelope<{ i: number }>; meta: DeliveryMeta; correlationId?: string; traceId?: string }>();
    const consumer = await bus.consume<{ i: number }>({
      ...PULL,
      stream,
      durable: 'order',
      handler: async (event, meta) => {
        const ctx = getRequestContext();
        got.push({ event, meta, correlationId: ctx?.correlationId, traceId: ctx?.traceId });
      },
    });
    await got.until(total);
    await within(consumer.stop(), 5000, 'consumer.stop');

    assert.deepEqual(got.items.map((x) => x.event.data.i), Array.from({ length: total }, (_, k) => k + 1));
    assert.deepEqual(got.items.map((x) => x.meta.seq), Array.from({ length: total }, (_, k) => k + 1));
    assert.ok(got.items.every((x) => !x.meta.redelivered && x.meta.deliveryCount === 1));
    assert.ok(got.items.every((x, k) => x.correlationId === `corr-${k + 1}` && x.traceId === '0af7651916cd43dd8448eb211c80319c'));
    const info = await (await admin.jetstreamManager()).consumers.info(stream, 'order');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_redelivered, 0);
    assert.equal(info.num_pending, 0);
    assert.equal(info.ack_floor.stream_seq, total);
  });

  it('with orderKey: events of one key in stream order, other keys not held up behind a slow one', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('keyed');
    // a1..a4 on key A (each handled slowly), b1..b4 on key B, interleaved in the stream.
    for (let i = 1; i <= 4; i++) {
      await bus.publish(`${subject}.n`, { id: `a-${i}`, type: 'test.keyed', data: { key: 'A', i } });
      await bus.publish(`${subject}.n`, { id: `b-${i}`, type: 'test.keyed', data: { key: 'B', i } });
    }
    let releaseA!: () => void;
    const aMayGo = new Promise<void>((r) => (releaseA = r));
    const got = collector<string>();
    const consumer = await bus.consume<{ key: string; i: number }>({
      ...PULL,
      stream,
      durable: 'keyed',
      orderKey: (event) => event.data.key,
      handler: async (event) => {
        if (event.data.key === 'A') await aMayGo; // A's first event waits until B's four are through
        got.push(`${event.data.key}${event.data.i}`);
        if (got.items.filter((x) => x.startsWith('B')).length === 4) releaseA();
      },
    });
    await got.until(8);
    await within(consumer.stop(), 5000, 'consumer.stop');
    assert.deepEqual(got.items.slice(0, 4), ['B1', 'B2', 'B3', 'B4'], 'B was not held up behind A');
    assert.deepEqual(got.items.filter((x) => x.startsWith('A')), ['A1', 'A2', 'A3', 'A4'], 'A kept its order');
    const info = await (await admin.jetstreamManager()).consumers.info(stream, 'keyed');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.ack_floor.stream_seq, 8);
  });

  it('redelivers a message whose handler threw', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('retry');
    await bus.publish(`${subject}.r`, { id: 'evt-retry', type: 'test.flaky', data: {} });
    const attempts = collector<DeliveryMeta>();
    const consumer = await bus.consume({
      ...PULL,
      stream,
      durable: 'retry',
      retryDelayMs: 50,
      handler: async (_event, meta) => {
        attempts.push(meta);
        if (meta.deliveryCount === 1) throw new Error('transient failure');
      },
    });
    await attempts.until(2);
    await within(consumer.stop(), 5000, 'consumer.stop');
    assert.deepEqual(
      attempts.items.map((m) => [m.seq, m.redelivered, m.deliveryCount]),
      [
        [1, false, 1],
        [1, true, 2],
      ],
    );
    const info = await (await admin.jetstreamManager()).consumers.info(stream, 'retry');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.ack_floor.stream_seq, 1);
  });

  it('resumes a restarted durable consumer after the last acked message', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('resume');
    const publish = (i: number) => bus.publish(`${subject}.e`, { id: `evt-${i}`, type: 'test.counted', data: { i } });
    for (const i of [1, 2, 3]) await publish(i);

    const firstRun = collector<number>();
    const first = await bus.consume<{ i: number }>({ ...PULL, stream, durable: 'resume', handler: async (e) => firstRun.push(e.data.i) });
    await firstRun.until(3);
    await within(first.stop(), 5000, 'first consumer stop');

    // Published while nobody consumes: must wait for the restarted consumer, not go to the stopped one.
    for (const i of [4, 5]) await publish(i);
    const secondRun = collector<{ i: number; meta: DeliveryMeta }>();
    const second = await bus.consume<{ i: number }>({
      ...PULL,
      stream,
      durable: 'resume',
      handler: async (e, meta) => secondRun.push({ i: e.data.i, meta }),
    });
    await secondRun.until(2);
    await within(second.stop(), 5000, 'second consumer stop');

    assert.deepEqual(firstRun.items, [1, 2, 3]);
    assert.deepEqual(secondRun.items.map((x) => x.i), [4, 5]);
    assert.ok(secondRun.items.every((x) => x.meta.deliveryCount === 1));
    const info = await (await admin.jetstreamManager()).consumers.info(stream, 'resume');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.ack_floor.stream_seq, 5);
  });

  it('stop drains what was pulled, and a restart resumes right after it', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('drain');
    const publish = (i: number) => bus.publish(`${subject}.d`, { id: `evt-${i}`, type: 'test.counted', data: { i } });
    for (let i = 1; i <= 10; i++) await publish(i);

    const handled: number[] = [];
    let stopping: Promise<void> | undefined;
    const first = await bus.consume<{ i: number }>({
      ...PULL,
      stream,
      durable: 'drain',
      handler: async (e) => {
        // Stop while this handler runs and the rest of the pulled batch waits behind it.
        if (e.data.i === 1) stopping = first.stop();
        await new Promise((resolve) => setImmediate(resolve));
        handled.push(e.data.i);
      },
    });
    await within(
      (async () => {
        while (!stopping) await new Promise((resolve) => setTimeout(resolve, 10));
        await stopping;
      })(),
      5000,
      'first consumer stop',
    );
    // The pull that carried message 1 also carried 2..10: all of them are handled before stop() ends.
    assert.deepEqual(handled, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    for (const i of [11, 12]) await publish(i);
    const rest = collector<{ i: number; meta: DeliveryMeta }>();
    const second = await bus.consume<{ i: number }>({
      ...PULL,
      stream,
      durable: 'drain',
      handler: async (e, meta) => rest.push({ i: e.data.i, meta }),
    });
    await rest.until(2);
    await within(second.stop(), 5000, 'second consumer stop');
    assert.deepEqual(rest.items.map((x) => x.i), [11, 12]);
    assert.ok(rest.items.every((x) => x.meta.deliveryCount === 1));
    const info = await (await admin.jetstreamManager()).consumers.info(stream, 'drain');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_redelivered, 0);
    assert.equal(info.ack_floor.stream_seq, 12);
  });

  it('drops a payload that is not an event instead of redelivering it forever', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('poison');
    await admin.jetstream().publish(`${subject}.p`, new TextEncoder().encode('not json'));
    await bus.publish(`${subject}.p`, { id: 'evt-good', type: 'test.good', data: 1 });
    const got = collector<string>();
    const consumer = await bus.consume({ ...PULL, stream, durable: 'poison', handler: async (e) => got.push(e.id) });
    await got.until(1);
    await within(consumer.stop(), 5000, 'consumer.stop');
    assert.deepEqual(got.items, ['evt-good']);
    const info = await (await admin.jetstreamManager()).consumers.info(stream, 'poison');
    assert.equal(info.num_ack_pending, 0);
  });
});
