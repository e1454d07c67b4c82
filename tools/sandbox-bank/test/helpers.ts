import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import type { NatsConnection } from 'nats';
import { connectEvents } from '@baas/events';
import type { Consumer, EventBus, EventEnvelope } from '@baas/events';
import { createMemoryLogger } from '@baas/observability';
import { createRailClient, newEndToEndId, railsEventsStream } from '@baas/rails';
import type { Party, RailClient, SubmitPayment } from '@baas/rails';
import { startSandboxBank } from '../src/index';
import type { SandboxBank, SandboxBankOptions } from '../src/index';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const HOME_ISPB = '99999999';
export const OTHER_ISPB = '60746948';

/** A namespace, stream and bucket no other test run shares. */
export function uniqueNames(label: string) {
  const id = `${label}_${randomBytes(5).toString('hex')}`;
  return { namespace: `t_${id}.rails`, streamName: `T_RAILS_${id}`, bucket: `T_BANK_${id}` };
}

export type Received = EventEnvelope<Record<string, unknown>>;

/** Everything a test needs: a bank on its own names, a rail client, and the events the bank published. */
export type Harness = {
  names: ReturnType<typeof uniqueNames>;
  nc: NatsConnection;
  client: RailClient;
  bank: SandboxBank;
  events: Received[];
  logs: () => string;
  /** Resolves with the first event matching, or rejects after `ms`. */
  waitFor(match: (e: Received) => boolean, ms?: number): Promise<Received>;
  restart(): Promise<void>;
  close(): Promise<void>;
};

/** Starts a bank and an event collector on fresh names. */
export async function startHarness(label: string, opts: Partial<SandboxBankOptions> = {}): Promise<Harness> {
  const names = uniqueNames(label);
  const memory = createMemoryLogger('sandbox-bank-test', 'debug');
  const bankOptions: SandboxBankOptions = { natsUrl: NATS_URL, latencyMs: 20, logger: memory.logger, ...names, ...opts };
  let bank = await startSandboxBank(bankOptions);
  const nc = await connect({ servers: NATS_URL, name: 'sandbox-bank-test' });
  const client = createRailClient(nc, { namespace: names.namespace, timeoutMs: 2000 });
  const bus: EventBus = await connectEvents({ url: NATS_URL, name: 'sandbox-bank-test' });
  await bus.ensureStream(railsEventsStream(names.namespace, names.streamName));
  const events: Received[] = [];
  const waiters = new Set<() => void>();
  const consumer: Consumer = await bus.consume<Record<string, unknown>>({
    stream: names.streamName,
    durable: `test_${randomBytes(4).toString('hex')}`,
    pullExpiresMs: 1000,
    handler: async (event) => {
      events.push(event);
      for (const w of waiters) w();
    },
  });
  const harness: Harness = {
    names,
    nc,
    client,
    get bank() {
      return bank;
    },
    events,
    logs: () => memory.lines.join(''),
    waitFor(match, ms = 5000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(match);
          if (!hit) return;
          cleanup();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event within ${ms} ms (have ${events.map((e) => e.type).join(',')})`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    async restart() {
      await bank.stop();
      bank = await startSandboxBank(bankOptions);
    },
    async close() {
      await bank.stop();
      await consumer.stop();
      await bus.close();
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(names.streamName).catch(() => false);
      await jsm.streams.delete(`KV_${names.bucket}`).catch(() => false);
      await nc.close();
    },
  };
  return harness;
}

/** A party at `ispb` (fake data). */
export function party(ispb: string, extra: Partial<Party> = {}): Party {
  return { name: 'Fulano de Tal', ispb, branch: '0001', account: '123456', accountType: 'CACC', documentMasked: '***.456.789-**', ...extra };
}

/** A PIX payment from our platform to `payeeIspb`. */
export function payment(payeeIspb: string, extra: Partial<SubmitPayment> = {}): SubmitPayment {
  return {
    endToEndId: newEndToEndId(HOME_ISPB),
    rail: 'PIX',
    kind: 'PAYMENT',
    amount: '12345',
    currency: 'BRL',
    payer: party(HOME_ISPB, { accountId: '3f1c2a9e-8b7d-4c6e-9a1b-2c3d4e5f6a7b' }),
    payee: party(payeeIspb, payeeIspb === HOME_ISPB ? { accountId: '7b6a5f4e-3d2c-4b1a-8e9d-0c1b2a3f4e5d', pixKey: 'fulano@example.com' } : { pixKey: '+5511999990000' }),
    requestedAt: new Date().toISOString(),
    ...extra,
  };
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
