import type { z } from 'zod';
import {
  inquireReplySchema,
  simulateIncomingReplySchema,
  simulateReturnReplySchema,
  submitReplySchema,
} from './schemas';
import type {
  InquireReply,
  SimulateIncoming,
  SimulateIncomingReply,
  SimulateReturn,
  SimulateReturnReply,
  SubmitPayment,
  SubmitReply,
} from './schemas';
import { decodeMessage, encodeMessage } from './parse';
import { railSubjects } from './subjects';

/** The part of a nats.js `NatsConnection` the client uses (a NatsConnection fits as is). */
export type RequestConnection = {
  request(subject: string, payload?: Uint8Array, opts?: { timeout: number }): Promise<{ data: Uint8Array }>;
};

/**
 * Why a request got no valid answer. TIMEOUT: the outcome is unknown (the rail may have the
 * payment): retry with the SAME endToEndId, or inquire. NO_RESPONDERS: nobody listens, nothing was
 * received. BAD_REPLY: the answer did not match the contract.
 */
export class RailRequestError extends Error {
  override readonly name = 'RailRequestError';
  constructor(
    readonly kind: 'TIMEOUT' | 'NO_RESPONDERS' | 'BAD_REPLY',
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    super(`rail request on ${subject} failed: ${kind}`, options);
  }
}

export type RailClientOptions = {
  /** Subject namespace; default 'rails'. */
  namespace?: string;
  /** Request timeout in ms; default 5000. */
  timeoutMs?: number;
};

export type RailClient = {
  submit(payment: SubmitPayment, opts?: { timeoutMs?: number }): Promise<SubmitReply>;
  inquire(endToEndId: string, opts?: { timeoutMs?: number }): Promise<InquireReply>;
  simulateIncoming(incoming: SimulateIncoming, opts?: { timeoutMs?: number }): Promise<SimulateIncomingReply>;
  simulateReturn(ret: SimulateReturn, opts?: { timeoutMs?: number }): Promise<SimulateReturnReply>;
};

/** A typed request/reply client of the rail protocol over a NATS connection; throws RailRequestError. */
export function createRailClient(nc: RequestConnection, options: RailClientOptions = {}): RailClient {
  const subjects = railSubjects(options.namespace);
  const defaultTimeout = options.timeoutMs ?? 5000;
  async function request<S extends z.ZodType>(subject: string, body: unknown, schema: S, timeoutMs?: number): Promise<z.infer<S>> {
    let reply: { data: Uint8Array };
    try {
      reply = await nc.request(subject, encodeMessage(body), { timeout: timeoutMs ?? defaultTimeout });
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      throw new RailRequestError(code === '503' ? 'NO_RESPONDERS' : 'TIMEOUT', subject, { cause: err });
    }
    const parsed = decodeMessage(schema, reply.data);
    if (!parsed.ok) throw new RailRequestError('BAD_REPLY', subject);
    return parsed.value;
  }
  return {
    submit: (payment, o) => request(subjects.submit, payment, submitReplySchema, o?.timeoutMs),
    inquire: (endToEndId, o) => request(subjects.inquire, { endToEndId }, inquireReplySchema, o?.timeoutMs),
    simulateIncoming: (incoming, o) => request(subjects.simulateIncoming, incoming, simulateIncomingReplySchema, o?.timeoutMs),
    simulateReturn: (ret, o) => request(subjects.simulateReturn, ret, simulateReturnReplySchema, o?.timeoutMs),
  };
}
