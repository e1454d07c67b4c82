import type { Logger } from '@baas/observability';
import { createRailClient, type Party, type Rail, type SimulateIncoming, type SimulateReturn, type SubmitPayment } from '@baas/rails';
import { connect, type NatsConnection } from 'nats';

/*
 * The rails behind one adapter interface: the default adapter speaks @baas/rails' NATS protocol to
 * the counterparty bank (tools/sandbox-bank in development and tests; a gateway to SPI, STR and a
 * correspondent in production would answer the same subjects).
 */

export type RailParty = Party;
export type RailName = Rail;
export type RailSubmission = SubmitPayment;

/** NO_ANSWER: the outcome is unknown (timeout, nobody listening): repeat under the same endToEndId, or inquire. */
export type SubmitOutcome = { outcome: 'ACCEPTED'; railRef: string } | { outcome: 'REFUSED'; reason: string } | { outcome: 'NO_ANSWER' };
export type InquiryOutcome = { status: 'UNKNOWN' | 'IN_FLIGHT' | 'SETTLED' | 'REJECTED'; reason?: string } | { status: 'NO_ANSWER' };

/** What the payments subgraph asks of a rail. */
export type RailPort = {
  submit(submission: RailSubmission): Promise<SubmitOutcome>;
  inquire(endToEndId: string): Promise<InquiryOutcome>;
  /** Sandbox: another institution pays one of our customers. */
  simulateIncoming(msg: SimulateIncoming): Promise<{ accepted: boolean; endToEndId?: string; reason?: string }>;
  /** Sandbox: the receiving institution returns a payment it settled. */
  simulateReturn(msg: SimulateReturn): Promise<{ accepted: boolean; returnId?: string; reason?: string }>;
  close(): Promise<void>;
};

/** The NATS adapter (request/reply on rails.*); no answer within timeoutMs is NO_ANSWER, never an exception. */
export async function connectNatsRail(opts: { url: string; timeoutMs: number; logger: Logger; namespace?: string }): Promise<RailPort> {
  const nc: NatsConnection = await connect({ servers: opts.url, name: 'payments-rail', maxReconnectAttempts: -1 });
  const client = createRailClient(nc, { timeoutMs: opts.timeoutMs, ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  const quiet = <T>(what: string, fallback: T) => (error: unknown): T => {
    opts.logger.warn({ request: what, err: (error as Error).message }, 'rail request got no usable answer');
    return fallback;
  };
  return {
    submit: (submission) =>
      client.submit(submission).then(
        (r): SubmitOutcome => (r.accepted ? { outcome: 'ACCEPTED', railRef: r.railRef } : { outcome: 'REFUSED', reason: r.reason }),
        quiet<SubmitOutcome>('submit', { outcome: 'NO_ANSWER' }),
      ),
    inquire: (endToEndId) =>
      client.inquire(endToEndId).then(
        (r): InquiryOutcome => ('status' in r ? { status: r.status, ...(r.reason ? { reason: r.reason } : {}) } : { status: 'NO_ANSWER' }),
        quiet<InquiryOutcome>('inquire', { status: 'NO_ANSWER' }),
      ),
    simulateIncoming: (msg) => client.simulateIncoming(msg).catch(quiet('simulateIncoming', { accepted: false, reason: 'RAIL_UNAVAILABLE' })),
    simulateReturn: (msg) => client.simulateReturn(msg).catch(quiet('simulateReturn', { accepted: false, reason: 'RAIL_UNAVAILABLE' })),
    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}
