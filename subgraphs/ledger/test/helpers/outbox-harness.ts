import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { connect } from 'nats';
import pg from 'pg';
import { connectEvents, CORRELATION_ID_HEADER } from '@baas/events';
import type { EventBus, EventEnvelope } from '@baas/events';
import { createMemoryLogger } from '@baas/observability';
import type { Logger } from '@baas/observability';
import { createTestDatabase, freePort } from '@baas/testing';
import type { TestDatabase } from '@baas/testing';

const NATS_SERVER = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';

/** Rejects when `promise` has not settled within `ms`, so a broken test fails instead of hanging. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it holds; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, opts: { what: string; timeoutMs?: number; intervalMs?: number }): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 50));
  }
}

/** A nats-server with JetStream owned by one test: stopping it disturbs nobody else. */
export type PrivateNats = {
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL); the store directory stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same store. */
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  dispose(): Promise<void>;
};

export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'ledger-outbox-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    if (child) return;
    const proc = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    proc.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    try {
      await waitFor(async () => child === proc && (await jetStreamReady(url)), { what: `nats-server on ${port}`, timeoutMs: 15_000, intervalMs: 100 });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output}`);
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await within(exited, 15_000, 'nats-server to exit');
    clearTimeout(timer);
    child = undefined;
  }

  await start();
  return {
    url,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function jetStreamReady(url: string): Promise<boolean> {
  const port = Number(new URL(url).port);
  const open = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (!open) return false;
  try {
    const nc = await connect({ servers: url, reconnect: false, timeout: 1000 });
    try {
      await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

/** Log lines kept in memory, so tests can check what was (and was not) logged. */
export const memoryLogger = (service = 'ledger-outbox-test') => createMemoryLogger(service);

/** Everything one relay test needs: its own database, nats-server, bus and stream name. */
export type OutboxFixture = {
  db: TestDatabase;
  pool: pg.Pool;
  nats: PrivateNats;
  bus: EventBus;
  stream: string;
  logger: Logger;
  lines: string[];
  /** Closes and deletes everything above (safe to call twice). */
  dispose(): Promise<void>;
};

export async function createOutboxFixture(label: string): Promise<OutboxFixture> {
  const db = await within(createTestDatabase(), 60_000, 'test database');
  const pool = new pg.Pool({ connectionString: db.url, max: 6 });
  pool.on('error', () => {});
  const nats = await startPrivateNats();
  const bus = await within(connectEvents({ url: nats.url, name: `ledger-outbox-test-${label}` }), 10_000, 'connectEvents');
  const { logger, lines } = memoryLogger();
  let disposed: Promise<void> | undefined;
  return {
    db,
    pool,
    nats,
    bus,
    stream: `LEDGER_T_${label.toUpperCase()}_${randomBytes(4).toString('hex')}`,
    logger,
    lines,
    dispose: () =>
      (disposed ??= (async () => {
        await within(bus.close(), 10_000, 'bus.close').catch(() => {});
        await nats.dispose();
        await pool.end();
        await db.drop();
      })()),
  };
}

/**
 * Payload of a row as the tests write it: the ledger writer's shape (domain/journal.ts), two
 * accounts per transfer, plus `holderName`, personal data no log line may show.
 */
export type TestPayload = {
  eventId: string;
  type: string;
  seq: string;
  occurredAt: string;
  accountIds: string[];
  transfer: { id: string; kind: string; debitAccountId: string; creditAccountId: string; amount: string; currency: string; code: number; pendingId: null };
  holderName: string;
  correlationId?: string;
};

export type InsertedRow = { seq: bigint; eventId: string; subject: string; payload: TestPayload };

const SUBJECTS = ['ledger.transfer.created', 'ledger.transfer.posted', 'ledger.transfer.voided', 'ledger.transfer.expired'];
/** Personal data a log line must never show. */
export const PII_MARKER = 'Maria Confidential da Silva';

/**
 * Inserts outbox rows `seqs` in one transaction and notifies the relay, as the ledger writer does.
 * Accounts are picked from `accounts` so each account sees many events.
 */
export async function insertOutboxRows(
  pool: pg.Pool,
  opts: { seqs: readonly bigint[]; accounts: readonly string[]; correlationId?: (seq: bigint) => string | undefined },
): Promise<InsertedRow[]> {
  const rows = opts.seqs.map((seq): InsertedRow => {
    const n = Number(seq);
    // Distinct accounts, as the ledger requires; `accounts` needs at least two.
    const debit = opts.accounts[n % opts.accounts.length] as string;
    const credit = opts.accounts[(n + 1 + (n % (opts.accounts.length - 1))) % opts.accounts.length] as string;
    const correlationId = opts.correlationId?.(seq);
    const eventId = randomUUID();
    const subject = SUBJECTS[n % SUBJECTS.length] as string;
    return {
      seq,
      eventId,
      subject,
      payload: {
        eventId,
        type: subject,
        seq: seq.toString(),
        occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
        accountIds: [debit, credit],
        transfer: { id: randomUUID(), kind: 'SINGLE', debitAccountId: debit, creditAccountId: credit, amount: String(100n * seq), currency: 'BRL', code: 1, pendingId: null },
        holderName: PII_MARKER,
        ...(correlationId ? { correlationId } : {}),
      },
    };
  });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const row of rows) {
      await client.query('INSERT INTO ledger.outbox_event (seq, event_id, subject, payload) VALUES ($1, $2, $3, $4)', [
        row.seq.toString(),
        row.eventId,
        row.subject,
        JSON.stringify(row.payload),
      ]);
    }
    const last = rows.at(-1);
    if (last) await client.query("SELECT pg_notify('ledger_outbox', $1)", [last.seq.toString()]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return rows;
}

/** Inserts one row whose payload is exactly `payload` (text), e.g. one that is not JSON. */
export async function insertRawOutboxRow(pool: pg.Pool, opts: { seq: bigint; payload: string }): Promise<void> {
  await pool.query('INSERT INTO ledger.outbox_event (seq, event_id, subject, payload) VALUES ($1, $2, $3, $4)', [
    opts.seq.toString(),
    randomUUID(),
    'ledger.transfer.created',
    opts.payload,
  ]);
}

/** `from`, from+1, ..., to as bigints. */
export function seqRange(from: number, to: number): bigint[] {
  return Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
}

export function testAccounts(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID());
}

/** The relay's stored cursor, or undefined when it has none yet. */
export async function storedCursor(pool: pg.Pool, relay: string): Promise<bigint | undefined> {
  const { rows } = await pool.query<{ last_seq: string }>('SELECT last_seq::text AS last_seq FROM ledger.outbox_cursor WHERE relay = $1', [relay]);
  return rows[0] ? BigInt(rows[0].last_seq) : undefined;
}

export type StoredEvent = { streamSeq: number; subject: string; correlationId: string | undefined; envelope: EventEnvelope<TestPayload> };

/** Every message of `stream` in stream order, read straight from the stream (not through a consumer). */
export async function readStream(url: string, stream: string): Promise<StoredEvent[]> {
  const nc = await connect({ servers: url, name: 'ledger-outbox-test-reader' });
  try {
    const jsm = await nc.jetstreamManager();
    const { state } = await jsm.streams.info(stream);
    const events: StoredEvent[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq });
      events.push({
        streamSeq: msg.seq,
        subject: msg.subject,
        correlationId: msg.header?.get(CORRELATION_ID_HEADER) || undefined,
        envelope: msg.json(),
      });
    }
    assert.equal(events.length, state.messages, 'stream holds no deleted messages');
    return events;
  } finally {
    await nc.close();
  }
}

/** How many messages the stream holds. */
export async function streamMessageCount(url: string, stream: string): Promise<number> {
  const nc = await connect({ servers: url, name: 'ledger-outbox-test-counter' });
  try {
    return (await (await nc.jetstreamManager()).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

/**
 * The stream holds exactly `rows`: one message per row, no duplicate event id, in seq order
 * (hence in order for every account), each with the row's subject and payload.
 */
export function assertStoredOnceInOrder(stored: readonly StoredEvent[], rows: readonly InsertedRow[]): void {
  const ids = stored.map((e) => e.envelope.id);
  assert.equal(new Set(ids).size, ids.length, 'no event id is stored twice');
  assert.equal(stored.length, rows.length, 'one message per outbox row');
  const sorted = [...rows].sort((a, b) => (a.seq < b.seq ? -1 : 1));
  for (const [i, event] of stored.entries()) {
    const row = sorted[i] as InsertedRow;
    assert.equal(event.envelope.data.seq, row.seq.toString(), `message ${i + 1} carries seq ${row.seq}`);
    assert.equal(event.envelope.id, row.eventId);
    assert.equal(event.subject, row.subject);
    assert.equal(event.envelope.type, row.subject);
    assert.deepEqual(event.envelope.data, row.payload, 'the payload arrives unchanged');
    assert.equal(event.envelope.occurredAt, row.payload.occurredAt);
  }
  // Implied by the global order, checked anyway since it is what consumers rely on.
  const lastSeqByAccount = new Map<string, bigint>();
  for (const event of stored) {
    const seq = BigInt(event.envelope.data.seq);
    for (const account of event.envelope.data.accountIds) {
      const previous = lastSeqByAccount.get(account) ?? 0n;
      assert.ok(seq > previous, `account ${account}: seq ${seq} arrives after ${previous}`);
      lastSeqByAccount.set(account, seq);
    }
  }
}
