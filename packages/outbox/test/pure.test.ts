import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contiguousPrefix, outboxStatements, qualified, type OutboxRow } from '../src/outbox-descriptor';
import { MalformedPayload, prepareJsonEvent } from '../src/index';

const row = (seq: bigint, payload: unknown): OutboxRow => ({ seq, eventId: `e-${seq}`, subject: 'ledger.transfer.posted', payload, createdAt: new Date('2026-01-02T03:04:05.000Z'), extra: {} });

describe('outbox: pure parts', () => {
  it('publishes only the gapless prefix after the cursor', () => {
    const rows = [1n, 2n, 3n, 5n, 6n].map((s) => row(s, '{}'));
    assert.deepEqual(contiguousPrefix(rows, 0n).map((r) => r.seq), [1n, 2n, 3n]);
    assert.deepEqual(contiguousPrefix(rows.slice(3), 3n), [], 'a gap right after the cursor: nothing');
    assert.deepEqual(contiguousPrefix(rows.slice(3), 4n).map((r) => r.seq), [5n, 6n]);
  });

  it('turns a JSON row into the envelope: id, type, occurredAt, data with seq, request context from the payload', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const m = prepareJsonEvent(row(42n, JSON.stringify({ amount: '12345678901234567890', occurredAt: '2026-05-01T00:00:00.000Z', correlationId: 'req-1', traceparent })));
    assert.equal(m.subject, 'ledger.transfer.posted');
    assert.deepEqual(m.event, {
      id: 'e-42',
      type: 'ledger.transfer.posted',
      occurredAt: '2026-05-01T00:00:00.000Z',
      data: { amount: '12345678901234567890', occurredAt: '2026-05-01T00:00:00.000Z', correlationId: 'req-1', traceparent, seq: '42' },
    });
    assert.deepEqual(m.context, { correlationId: 'req-1', traceparent, traceId: '0af7651916cd43dd8448eb211c80319c' });

    const plain = prepareJsonEvent(row(7n, '{"occurredAt":"not a date","correlationId":"bad id with spaces"}'));
    assert.equal(plain.event.occurredAt, '2026-01-02T03:04:05.000Z', 'the row time when the payload has no date');
    assert.equal(plain.context, undefined, 'an unsafe correlation id is not sent');
  });

  it('refuses a payload that is not JSON without quoting it', () => {
    assert.throws(
      () => prepareJsonEvent(row(9n, '{"name": "Maria", oops')),
      (error: unknown) => error instanceof MalformedPayload && error.seq === 9n && !error.message.includes('Maria'),
    );
  });

  it('reads through a table alias (ORDER BY never names the text alias) and accepts only plain identifiers', () => {
    const sql = outboxStatements({ table: 'identity.notification_outbox', cursorTable: 'identity.notification_outbox_cursor', stream: { name: 'S', subjects: ['s.>'] }, columns: { eventId: 'id' }, extraColumns: ['tenant_id'], tracking: { sentAt: 'sent_at', attempts: 'attempts' } });
    assert.match(sql.selectAfter, /FROM "identity"\."notification_outbox" o WHERE o\."seq" > \$1 ORDER BY o\."seq" LIMIT \$2$/);
    assert.match(sql.selectAfter, /o\."id"::text AS event_id/);
    assert.match(sql.selectAfter, /o\."tenant_id"::text AS "x_tenant_id"/);
    assert.match(sql.advance, /^WITH moved AS \(UPDATE "identity"\."notification_outbox_cursor"/);
    assert.equal(qualified('ledger.outbox_event'), '"ledger"."outbox_event"');
    for (const bad of ['Ledger.x', 'a.b.c', 'x"; drop', 'x y', '']) assert.throws(() => qualified(bad), /plain identifier/);
  });
});
