/**
 * Answers to network messages, and the log-safe view of any message. A response echoes the elements the
 * network matches it on (processing code, amount, transmission date-time, STAN, RRN, currency, terminal and
 * merchant ids) and never the PAN, expiry or CVV2.
 */
import { maskPan } from './pan';
import type { Mti, NetworkMessage, NetworkMessageJson } from './iso8583';

/** The response MTI for each request MTI (request + 10). */
export const RESPONSE_MTI: Readonly<Partial<Record<Mti, Mti>>> = Object.freeze({ '0100': '0110', '0120': '0130', '0220': '0230', '0400': '0410' });

const ECHOED = ['3', '4', '7', '11', '37', '41', '42', '49'] as const;

export type ResponseDecision = { readonly code: string; readonly approvalCode?: string };

/**
 * The response to `request` with DE39 `code` and, when given, DE38 `approvalCode`. An approved 0110 must
 * carry an approval code. Throws TypeError for a request that is itself a response, RangeError for a
 * malformed code.
 */
export function responseFor(request: NetworkMessage, decision: ResponseDecision): NetworkMessageJson {
  const mti = RESPONSE_MTI[request.mti];
  if (mti === undefined) throw new TypeError(`an ${request.mti} is a response and gets no answer`);
  if (!/^[0-9A-Z]{2}$/.test(decision.code)) throw new RangeError('a response code is 2 alphanumerics');
  if (decision.approvalCode !== undefined && !/^[0-9A-Za-z]{6}$/.test(decision.approvalCode)) throw new RangeError('an approval code is 6 alphanumerics');
  if (mti === '0110' && decision.code === '00' && decision.approvalCode === undefined) throw new RangeError('an approved authorisation needs an approval code');
  const elements: Record<string, string> = {};
  for (const de of ECHOED) {
    const value = request.elements[de];
    if (value !== undefined) elements[de] = value;
  }
  if (decision.approvalCode !== undefined) elements['38'] = decision.approvalCode;
  elements['39'] = decision.code;
  return { mti, elements };
}

/**
 * A copy of a wire message safe to log: DE2 masked to first 6 / last 4 (or dropped when it is not a string),
 * DE14 and DE126 replaced by '***'. Takes anything, so a malformed message can be logged too.
 */
export function redactForLog(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return typeof json === 'string' ? '[string]' : json;
  const { mti, elements } = json as { mti?: unknown; elements?: unknown };
  const out: Record<string, unknown> = { mti: typeof mti === 'string' ? mti.slice(0, 8) : mti };
  if (typeof elements === 'object' && elements !== null && !Array.isArray(elements)) {
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(elements)) {
      if (key === '2') safe[key] = typeof value === 'string' ? maskPan(value.replace(/\D/g, '')) : '[redacted]';
      else if (key === '14' || key === '126' || key === '35' || key === '45' || key === '52') safe[key] = '***';
      else safe[key] = value;
    }
    out.elements = safe;
  }
  return out;
}
