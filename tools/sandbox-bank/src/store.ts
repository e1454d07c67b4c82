import type { KV } from 'nats';
import type { IncomingEvent, PaymentKind, PaymentStatus, Rail, SubmitPayment, SubmitReply } from '@baas/rails';

/** A return the bank owes an event for (a `[sandbox:return]` trigger, a random return or rails.sandbox.return). */
export type PendingReturn = { returnId: string; amount: string; reason: string; published: boolean; returnedAt?: string };

/** What the bank remembers of one submitted payment (no names, documents or keys once it is final). */
export type PaymentRecord = {
  endToEndId: string;
  rail: Rail;
  kind: PaymentKind;
  amount: string;
  currency: string;
  payeeIspb: string;
  onUs: boolean;
  status: PaymentStatus;
  /** The reply every submit of this endToEndId gets; absent while no submit was answered yet. */
  reply?: SubmitReply;
  /** A first submit carrying `[sandbox:timeout]` was swallowed. */
  timeoutSwallowed?: boolean;
  reason?: string;
  railRef?: string;
  settledAt?: string;
  delayMs: number;
  /** Accepted and its outcome event (settled or rejected) not yet published. */
  pending?: boolean;
  /** Decided when accepted: rejected with this reason, else settled. */
  rejectWith?: string;
  returns: PendingReturn[];
  /** The request, kept only while IN_FLIGHT (its incoming event needs the parties). */
  request?: SubmitPayment;
};

/** A simulated incoming payment; its event is kept only until it went out. */
export type IncomingRecord = { endToEndId: string; published: boolean; event?: IncomingEvent; delayMs: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MEMORY_LIMIT = 10_000;

/**
 * Records in memory (a bounded cache) and in a JetStream KV bucket, so that a restarted bank still
 * answers a known endToEndId the same way. Writes go to KV first: a failed write throws and the
 * caller does not answer (the client times out and retries).
 */
export class BankStore {
  private readonly memory = new Map<string, PaymentRecord | IncomingRecord>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly kv: KV) {}

  async payment(endToEndId: string): Promise<PaymentRecord | undefined> {
    return (await this.read(`p.${endToEndId}`)) as PaymentRecord | undefined;
  }

  async savePayment(rec: PaymentRecord): Promise<void> {
    await this.write(`p.${rec.endToEndId}`, rec);
  }

  async incoming(endToEndId: string): Promise<IncomingRecord | undefined> {
    return (await this.read(`i.${endToEndId}`)) as IncomingRecord | undefined;
  }

  async saveIncoming(rec: IncomingRecord): Promise<void> {
    await this.write(`i.${rec.endToEndId}`, rec);
  }

  /** Every stored key (for resuming unfinished work after a restart). */
  async keys(): Promise<string[]> {
    const out: string[] = [];
    for await (const key of await this.kv.keys()) out.push(key);
    return out;
  }

  /** Runs `fn` after every earlier `withLock` call on the same key has finished (one submit of an id at a time). */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private async read(key: string): Promise<PaymentRecord | IncomingRecord | undefined> {
    const cached = this.memory.get(key);
    if (cached) return structuredClone(cached);
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
    const value = JSON.parse(decoder.decode(entry.value)) as PaymentRecord | IncomingRecord;
    this.remember(key, value);
    return structuredClone(value);
  }

  private async write(key: string, value: PaymentRecord | IncomingRecord): Promise<void> {
    await this.kv.put(key, encoder.encode(JSON.stringify(value)));
    this.remember(key, structuredClone(value));
  }

  private remember(key: string, value: PaymentRecord | IncomingRecord): void {
    this.memory.delete(key);
    this.memory.set(key, value);
    if (this.memory.size > MEMORY_LIMIT) this.memory.delete(this.memory.keys().next().value as string);
  }
}
