import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withSubjectPrefix, type OutboxDescriptor } from '../src/index';

const outbox: OutboxDescriptor = { table: 'x.outbox', cursorTable: 'x.cursor', channel: 'x_outbox', stream: { name: 'X', subjects: ['x.>'] } };

describe('withSubjectPrefix (pure)', () => {
  it('prefixes the stream subjects and the published subject, never the envelope type', async () => {
    const p = withSubjectPrefix(outbox, 't1');
    assert.deepEqual(p.stream, { name: 'X', subjects: ['t1.x.>'] });
    const message = await p.prepare!({ seq: 3n, eventId: '0193a000-0000-7000-8000-000000000001', subject: 'x.thing.done', payload: '{"a":1}', createdAt: new Date('2026-12-05T12:00:00Z') } as never);
    assert.ok('subject' in message);
    assert.equal(message.subject, 't1.x.thing.done');
    assert.equal(message.event.type, 'x.thing.done');
  });

  it('no prefix: the descriptor as it is', () => {
    assert.equal(withSubjectPrefix(outbox, undefined), outbox);
    assert.equal(withSubjectPrefix(outbox, ''), outbox);
  });
});
