import type { z } from 'zod';
import { railEventSchemas } from './schemas';
import type { RailEvent } from './schemas';
import { RAIL_EVENT_TYPES } from './subjects';
import type { RailEventType } from './subjects';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Validates `value` against `schema`; never throws. Problems name paths and rules, never values (no PII). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): ParseResult<z.infer<S>> {
  let result: z.ZodSafeParseResult<z.infer<S>>;
  try {
    result = schema.safeParse(value) as z.ZodSafeParseResult<z.infer<S>>;
  } catch {
    return { ok: false, problems: ['(message): not valid'] };
  }
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`) };
}

/** Decodes a JSON message body and validates it; a body that is not JSON is a problem too. */
export function decodeMessage<S extends z.ZodType>(schema: S, data: Uint8Array): ParseResult<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    return { ok: false, problems: ['(message): not JSON'] };
  }
  return parseWith(schema, value);
}

/** Encodes a message as JSON bytes. */
export function encodeMessage(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** The event type of a rail event subject (`<ns>.events.<type>`), or undefined for any other subject. */
export function railEventType(subject: string): RailEventType | undefined {
  const last = subject.slice(subject.lastIndexOf('.') + 1);
  return subject.includes('.events.') && (RAIL_EVENT_TYPES as readonly string[]).includes(last) ? (last as RailEventType) : undefined;
}

/**
 * Validates one rail event (e.g. an @baas/events envelope's `type` and `data`; `type` may be the
 * full subject or its last token). Never throws.
 */
export function parseRailEvent(type: string, data: unknown): ParseResult<RailEvent> {
  const short = (RAIL_EVENT_TYPES as readonly string[]).includes(type) ? (type as RailEventType) : railEventType(type);
  if (!short) return { ok: false, problems: [`type: not a rail event type`] };
  const parsed = parseWith(railEventSchemas[short], data);
  return parsed.ok ? { ok: true, value: { type: short, data: parsed.value } as RailEvent } : parsed;
}
