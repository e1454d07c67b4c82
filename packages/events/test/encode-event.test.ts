import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, encodeEvent } from '../src/index';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encodeEvent / decodeEvent', () => {
  it('writes the envelope with bigint money as decimal strings', () => {
    const bytes = encodeEvent(
      { id: 'evt-1', type: 'payments.pix.settled', data: { amount: { minor: 1999n, currency: 'BRL' }, fees: [5n, -10n] } },
      () => new Date('2025-01-02T03:04:05.000Z'),
    );
    assert.deepEqual(JSON.parse(text(bytes)), {
      id: 'evt-1',
      type: 'payments.pix.settled',
      occurredAt: '2025-01-02T03:04:05.000Z',
      data: { amount: { minor: '1999', currency: 'BRL' }, fees: ['5', '-10'] },
    });
  });

  it('keeps a given occurredAt and round-trips', () => {
    const event = { id: 'evt-2', type: 't', data: { ok: true }, occurredAt: '2024-12-31T23:59:59.999Z' };
    assert.deepEqual(decodeEvent(encodeEvent(event)), event);
  });

  it('rejects events without id or type or with a bad date', () => {
    assert.throws(() => encodeEvent({ id: '', type: 't', data: null }), TypeError);
    assert.throws(() => encodeEvent({ id: 'x', type: '', data: null }), TypeError);
    assert.throws(() => encodeEvent({ id: 'x', type: 't', data: null, occurredAt: 'yesterday' }), TypeError);
  });

  it('refuses payloads that are not envelopes', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    assert.throws(() => decodeEvent(bytes('not json')));
    assert.throws(() => decodeEvent(bytes('null')), TypeError);
    assert.throws(() => decodeEvent(bytes('{"id":"x","type":"t","occurredAt":"2024-01-01T00:00:00Z"}')), TypeError);
  });
});
