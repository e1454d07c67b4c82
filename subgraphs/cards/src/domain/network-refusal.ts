/**
 * The answer to a message that could not be parsed: the request's response MTI (0110 when the MTI itself
 * is unusable) with DE39 and only the echo elements that are well-formed printable strings. Never the PAN,
 * expiry or CVV2 (they are not echo elements). Pure.
 */
import { RESPONSE_MTI } from './iso8583-response';
import type { Mti, NetworkMessageJson } from './iso8583';

const ECHOED = ['3', '4', '7', '11', '37', '41', '42', '49'] as const;

export function refusalFor(json: unknown, code: string): NetworkMessageJson {
  const { mti, elements } = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { mti?: unknown; elements?: unknown }) : {};
  const responseMti = typeof mti === 'string' && Object.hasOwn(RESPONSE_MTI, mti) ? RESPONSE_MTI[mti as Mti]! : '0110';
  const echo: Record<string, string> = {};
  if (typeof elements === 'object' && elements !== null && !Array.isArray(elements)) {
    for (const de of ECHOED) {
      const value = (elements as Record<string, unknown>)[de];
      if (typeof value === 'string' && /^[\x20-\x7e]{1,40}$/.test(value)) echo[de] = value;
    }
  }
  echo['39'] = code;
  return { mti: responseMti, elements: echo };
}
