import type { DomainEvent, EventEnvelope } from './types';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serialises an event as its JSON envelope; bigint (money in minor units) becomes a decimal string. */
export function encodeEvent<T>(event: DomainEvent<T>, now: () => Date = () => new Date()): Uint8Array {
  if (typeof event.id !== 'string' || event.id.length === 0) throw new TypeError('event.id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('event.type must be a non-empty string');
  const occurredAt = event.occurredAt ?? now().toISOString();
  if (Number.isNaN(Date.parse(occurredAt))) throw new TypeError('event.occurredAt must be an ISO 8601 date');
  const envelope: EventEnvelope<T> = { id: event.id, type: event.type, occurredAt, data: event.data };
  return encoder.encode(JSON.stringify(envelope, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

/** Parses a stored envelope; throws when the payload is not one, so the caller can drop it as poison. */
export function decodeEvent<T>(payload: Uint8Array): EventEnvelope<T> {
  const value = JSON.parse(decoder.decode(payload)) as Partial<EventEnvelope<T>> | null;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof value.id !== 'string' ||
    typeof value.type !== 'string' ||
    typeof value.occurredAt !== 'string' ||
    !('data' in value)
  ) {
    throw new TypeError('payload is not an event envelope');
  }
  return { id: value.id, type: value.type, occurredAt: value.occurredAt, data: value.data as T };
}
