import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CRASH_EXIT_CODE } from '../src/run-service';

type LogLine = { level: string; msg: string; correlationId?: string; event?: string; port?: number; err?: Record<string, unknown> };

/** Starts the fragile fixture service as its own process, collecting its JSON log lines. */
function startFragile() {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/fragile-service.ts', import.meta.url))], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const waiters: { check: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      raw.push(text);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) if (w.check(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => raw.push(chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  /** The first log line that passes `check` (already written or still to come); fails if the process exits first. */
  const logLine = (check: (l: LogLine) => boolean, what: string) => {
    const seen = lines.find(check);
    if (seen) return Promise.resolve(seen);
    return Promise.race([
      new Promise<LogLine>((resolve) => waiters.push({ check, resolve })),
      exited.then(() => lines.find(check) ?? Promise.reject(new Error(`exited before ${what}:\n${raw.join('\n')}`))),
    ]);
  };
  return { child, lines, raw, exited, logLine };
}

async function get(port: number, path: string, correlationId = 'c-run-service-test'): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-request-id': correlationId }, signal: AbortSignal.timeout(10_000) });
  await res.text();
  return res.status;
}

describe('runService: the process failure policy', () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('logs an unhandled rejection with its correlation id and no secrets, and keeps serving', { timeout: 60_000 }, async () => {
    const fragile = startFragile();
    children.push(fragile.child);
    const { port } = await fragile.logLine((l) => l.msg === 'listening', 'listening');
    assert.equal(await get(port!, '/healthz'), 200);

    assert.equal(await get(port!, '/reject', 'c-unhandled-1'), 200);
    const logged = await fragile.logLine((l) => l.event === 'unhandledRejection', 'the unhandled rejection to be logged');
    assert.equal(logged.level, 'error');
    assert.equal(logged.correlationId, 'c-unhandled-1', 'the log line names the request the rejection came from');
    assert.equal(logged.err?.message, 'the database system is shutting down');
    assert.equal(logged.err?.code, '57P03');
    assert.ok(!fragile.raw.join('\n').includes('hunter2-not-for-logs'), 'no secret in the log');

    // Still alive and serving, also after a second one.
    assert.equal(await get(port!, '/reject', 'c-unhandled-2'), 200);
    await fragile.logLine((l) => l.event === 'unhandledRejection' && l.correlationId === 'c-unhandled-2', 'the second rejection to be logged');
    assert.equal(await get(port!, '/healthz'), 200);
    assert.equal(fragile.child.exitCode, null, 'the process is still running');

    fragile.child.kill('SIGTERM');
    const [code] = await fragile.exited;
    assert.equal(code, 0, 'SIGTERM stops it cleanly');
    assert.ok(fragile.lines.some((l) => l.msg === 'stopped'), 'the graceful stop ran');
  });

  it('exits with code 70 after an uncaught exception, having logged it and stopped gracefully, for a supervisor to restart it', { timeout: 60_000 }, async () => {
    const fragile = startFragile();
    children.push(fragile.child);
    const { port } = await fragile.logLine((l) => l.msg === 'listening', 'listening');
    await get(port!, '/throw', 'c-uncaught-1').catch(() => undefined); // the process may go before it answers
    const [code, signal] = await fragile.exited;
    assert.equal(signal, null);
    assert.equal(code, CRASH_EXIT_CODE);
    const fatal = fragile.lines.find((l) => l.event === 'uncaughtException');
    assert.ok(fatal, fragile.raw.join('\n'));
    assert.equal(fatal.level, 'fatal');
    assert.equal(fatal.correlationId, 'c-uncaught-1');
    assert.equal(fatal.err?.message, 'thrown out of a timer');
    assert.ok(fragile.lines.some((l) => l.msg === 'stopped'), 'the graceful stop ran before the exit');
  });
});
