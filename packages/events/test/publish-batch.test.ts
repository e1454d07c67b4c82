import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from 'nats';
import { connectEvents, CORRELATION_ID_HEADER, PublishRefused, TRACEPARENT_HEADER } from '../src/index';
import type { EventBus, EventEnvelope, PublishResult } from '../src/index';
import { NATS_URL, adminConnection, deleteStreams, uniqueNames, within } from './helpers';

const TEST_TIMEOUT = 30_000;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const fulfilled = (r: PromiseSettledResult<PublishResult>): PublishResult => {
  assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '');
  return (r as PromiseFulfilledResult<PublishResult>).value;
};
const refusal = (r: PromiseSettledResult<PublishResult>): PublishRefused => {
  assert.equal(r.status, 'rejected');
  const reason = (r as PromiseRejectedResult).reason as unknown;
  assert.ok(reason instanceof PublishRefused, String(reason));
  return reason;
};

// publishBatch: JetStream's publish headers on plain NATS messages, acks counted on one reply
// subscription. It must keep what js.publish gives: order, dedupe by event id, the expected
// stream's guard, and every refusal reported for the message it belongs to.
describe('@baas/events publishBatch against NATS JetStream', () => {
  let bus: EventBus;
  let admin: NatsConnection;
  const streams: string[] = [];
  const batch = (...args: Parameters<NonNullable<EventBus['publishBatch']>>) => (bus.publishBatch as NonNullable<EventBus['publishBatch']>)(...args);

  async function freshStream(label: string) {
    const names = uniqueNames(label);
    streams.push(names.stream);
    await bus.ensureStream({ name: names.stream, subjects: [`${names.subject}.>`] });
    return names;
  }

  before(async () => {
    bus = await within(connectEvents({ url: NATS_URL, name: 'events-batch-test' }), 5000, 'connectEvents');
    admin = await within(adminConnection(), 5000, 'admin connection');
  });

  after(async () => {
    await within(deleteStreams(admin, streams), 5000, 'stream cleanup');
    await within(bus.close(), 5000, 'bus.close');
    await within(admin.drain(), 5000, 'admin drain');
  });

  it('stores a batch in order, once per event id, with each item its own context headers', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('batch');
    const items = Array.from({ length: 500 }, (_, i) => ({
      subject: `${subject}.n`,
      event: { id: `evt-${i}`, type: 'test.counted', data: { i, amount: BigInt(i) * 10n } },
      ...(i % 2 === 0 ? { context: { correlationId: `corr-${i}`, traceparent: TRACEPARENT } } : {}),
    }));
    const first = await batch(items, { expectedStream: stream });
    assert.deepEqual(first.map((r) => fulfilled(r)), items.map((_, i) => ({ seq: i + 1, duplicate: false })));
    // The same batch again (a relay retrying): every one a duplicate of the stored message, nothing stored twice.
    const again = await batch(items, { expectedStream: stream });
    assert.deepEqual(again.map((r) => fulfilled(r)), items.map((_, i) => ({ seq: i + 1, duplicate: true })));

    const jsm = await admin.jetstreamManager();
    assert.equal((await jsm.streams.info(stream)).state.messages, 500);
    for (const seq of [1, 2, 500]) {
      const stored = await jsm.streams.getMessage(stream, { seq });
      const envelope = stored.json<EventEnvelope<{ i: number; amount: string }>>();
      assert.equal(envelope.id, `evt-${seq - 1}`);
      assert.deepEqual(envelope.data, { i: seq - 1, amount: String((seq - 1) * 10) });
      assert.equal(stored.header.get('Nats-Msg-Id'), `evt-${seq - 1}`);
      assert.equal(stored.header.get(CORRELATION_ID_HEADER), (seq - 1) % 2 === 0 ? `corr-${seq - 1}` : '');
      assert.equal(stored.header.get(TRACEPARENT_HEADER), (seq - 1) % 2 === 0 ? TRACEPARENT : '');
    }
  });

  it('reports each refusal at its own item: a subject outside the expected stream, one no stream takes', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('refuse');
    const other = await freshStream('other');
    const results = await batch(
      [
        { subject: `${subject}.a`, event: { id: 'a', type: 't', data: null } },
        { subject: `${other.subject}.b`, event: { id: 'b', type: 't', data: null } },
        { subject: `nostream.${other.subject}.c`, event: { id: 'c', type: 't', data: null } },
        { subject: `${subject}.d`, event: { id: 'd', type: 't', data: null } },
      ],
      { expectedStream: stream },
    );
    assert.deepEqual(fulfilled(results[0]!), { seq: 1, duplicate: false });
    assert.equal(refusal(results[1]!).code, '10060', 'JetStream: expected stream does not match');
    assert.equal(refusal(results[2]!).code, 'NO_RESPONDERS');
    assert.deepEqual(fulfilled(results[3]!), { seq: 2, duplicate: false });
    const jsm = await admin.jetstreamManager();
    assert.equal((await jsm.streams.info(other.stream)).state.messages, 0, 'the mis-routed event was not stored');
  });

  it('an item that cannot be encoded fails alone; an empty batch is empty; acks that never come time out', { timeout: TEST_TIMEOUT }, async () => {
    const { stream, subject } = await freshStream('encode');
    const results = await batch(
      [
        { subject: `${subject}.a`, event: { id: '', type: 't', data: null } },
        { subject: `${subject}.b`, event: { id: 'b', type: 't', data: null } },
      ],
      { expectedStream: stream },
    );
    assert.equal(results[0]!.status, 'rejected');
    assert.deepEqual(fulfilled(results[1]!), { seq: 1, duplicate: false });
    assert.deepEqual(await batch([]), []);
    // A subject a plain subscriber answers nothing to: the server routes it (no 503), no ack comes.
    const silent = await admin.subscribe(`silent.${subject}`, { callback: () => undefined });
    await admin.flush();
    const late = await batch([{ subject: `silent.${subject}`, event: { id: 's', type: 't', data: null } }], { timeoutMs: 200 });
    assert.equal(refusal(late[0]!).code, 'TIMEOUT');
    silent.unsubscribe();
  });
});
