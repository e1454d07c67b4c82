import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { connect } from 'nats';
import type { NatsConnection } from 'nats';
import { createRailClient } from '@baas/rails';
import { NATS_URL, OTHER_ISPB, payment, uniqueNames } from './helpers';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sandbox bank as a process (src/main.ts)', () => {
  const names = uniqueNames('process');
  let nc: NatsConnection;
  before(async () => {
    nc = await connect({ servers: NATS_URL, name: 'sandbox-bank-process-test' });
  });
  after(async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(names.streamName).catch(() => false);
    await jsm.streams.delete(`KV_${names.bucket}`).catch(() => false);
    await nc.close();
  });

  it('starts from its environment, answers a submit, and exits 0 on SIGTERM', async () => {
    const { child, output } = startProcess({
      NATS_URL,
      SANDBOX_BANK_NAMESPACE: names.namespace,
      SANDBOX_BANK_STREAM: names.streamName,
      SANDBOX_BANK_BUCKET: names.bucket,
      SANDBOX_BANK_LATENCY_MS: '5',
    });
    try {
      await until(() => output().includes('sandbox bank started'), 30_000, 'the bank to start');
      const client = createRailClient(nc, { namespace: names.namespace, timeoutMs: 3000 });
      assert.equal((await client.submit(payment(OTHER_ISPB))).accepted, true);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0, output());
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 1 listing a bad variable', async () => {
    const { child, output } = startProcess({ NATS_URL, SANDBOX_BANK_HOME_ISPB: '123', SANDBOX_BANK_REJECT_RATE: '2' });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1);
    assert.match(output(), /SANDBOX_BANK_HOME_ISPB/);
    assert.match(output(), /SANDBOX_BANK_REJECT_RATE/);
  });
});
