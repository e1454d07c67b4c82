import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../src/workers/outbox-relay';
import {
  assertStoredOnceInOrder,
  createOutboxFixture,
  insertOutboxRows,
  readStream,
  seqRange,
  storedCursor,
  streamMessageCount,
  testAccounts,
  within,
} from './helpers/outbox-harness';
import type { OutboxFixture } from './helpers/outbox-harness';

const TEST_TIMEOUT = 120_000;
const CHILD_SCRIPT = fileURLToPath(new URL('./helpers/run-outbox-relay.ts', import.meta.url));
const LEDGER_ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('outbox relay: killed mid-batch', () => {
  let f: OutboxFixture | undefined;
  let relay: OutboxRelay | undefined;
  const children = new Set<ChildProcess>();

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await within(relay?.stop() ?? Promise.resolve(), 15_000, 'relay.stop').catch(() => {});
    await f?.dispose();
  });

  /** Runs the relay in a child process until it exits; resolves with its exit code and output. */
  async function runChild(fx: OutboxFixture, args: string[]): Promise<{ code: number | null; output: string }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD_SCRIPT, '--db', fx.db.url, '--nats', fx.nats.url, '--stream', fx.stream, ...args],
      { cwd: LEDGER_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await within(
      new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode))),
      45_000,
      'the relay child process to exit',
    );
    children.delete(child);
    return { code, output };
  }

  it('republishes from the cursor after a crash, and JetStream stores every event once, in order', { timeout: TEST_TIMEOUT }, async () => {
    f = await createOutboxFixture('crash');
    const fx = f;
    const rows = await insertOutboxRows(fx.pool, { seqs: seqRange(1, 120), accounts: testAccounts(5) });
    // batches of 50 published in waves of 10: seq 37 is acknowledged in the wave 31..40 of batch 1..50.
    const batch = ['--batch-size', '50', '--max-in-flight', '10'];

    const first = await runChild(fx, [...batch, '--crash-after', '37']);
    assert.equal(first.code, 1, `the child crashed on purpose\n${first.output}`);
    assert.equal(await storedCursor(fx.pool, 'jetstream'), 0n, 'the crash came before the first cursor update');
    const afterFirst = await streamMessageCount(fx.nats.url, fx.stream);
    assert.ok(afterFirst >= 37 && afterFirst <= 40, `published part of the batch (${afterFirst})`);

    // The second instance republishes 1..50 (duplicates), records 50, then crashes inside batch 51..100.
    const second = await runChild(fx, [...batch, '--crash-after', '75']);
    assert.equal(second.code, 1, `the child crashed on purpose\n${second.output}`);
    assert.equal(await storedCursor(fx.pool, 'jetstream'), 50n, 'the crash came after one cursor update');
    const afterSecond = await streamMessageCount(fx.nats.url, fx.stream);
    assert.ok(afterSecond >= 75 && afterSecond <= 80, `no duplicates of 1..50 were stored (${afterSecond})`);

    // A new relay in this process picks up from 50.
    relay = createLedgerOutboxRelay({ pool: fx.pool, bus: fx.bus, streamName: fx.stream, batchSize: 50, pollIntervalMs: 50, logger: fx.logger });
    await within(relay.start(), 10_000, 'relay.start');
    await within(relay.drain(), 20_000, 'drain after the crashes');
    assert.equal(relay.stats().published, 70, 'it resumed at the cursor, republishing 51..80 and publishing 81..120');
    assert.equal(await storedCursor(fx.pool, 'jetstream'), 120n);
    assert.equal(await streamMessageCount(fx.nats.url, fx.stream), rows.length);
    assertStoredOnceInOrder(await readStream(fx.nats.url, fx.stream), rows);
    await within(relay.stop(), 10_000, 'relay.stop');
  });
});
