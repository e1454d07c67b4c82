import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { deliverWebhook, generateSigningSecret } from '@baas/webhooks';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('as a process: prints its URL, verifies a delivery, logs it without the body, exits 0 on SIGTERM', async () => {
  const secret = generateSigningSecret();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, WEBHOOK_RECEIVER_PORT: '0', WEBHOOK_RECEIVER_SECRETS: secret, WEBHOOK_RECEIVER_FAIL_FIRST: '1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await until(() => /WEBHOOK_RECEIVER_URL=\S+/.test(output), 30_000, 'the URL line');
    const url = /WEBHOOK_RECEIVER_URL=(\S+)/.exec(output)![1]!;
    const body = JSON.stringify({ id: 'evt_p', type: 'webhook.ping', data: { secretNote: 'not-logged' } });
    const send = () => deliverWebhook({ url, secrets: [secret], id: 'evt_p', body, policy: { allowHttp: true, allowLoopback: true }, timeoutMs: 5_000 });
    assert.equal((await send()).status, 500, 'WEBHOOK_RECEIVER_FAIL_FIRST=1');
    assert.equal((await send()).status, 204);
    await until(() => (output.match(/webhook received/g) ?? []).length >= 2, 10_000, 'the log lines');
    assert.match(output, /"id":"evt_p"/);
    assert.match(output, /"verified":true/);
    assert.ok(!output.includes('not-logged'), 'bodies are not logged');
    assert.ok(!output.includes(secret), 'a given secret is not printed');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
