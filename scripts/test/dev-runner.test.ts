import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createSupervisor, type ServiceEvent, type Supervisor } from '../dev-runner';

const fixture = (name: string) => ({ name, command: process.execPath, args: [fileURLToPath(new URL(`./fixtures/${name}.mjs`, import.meta.url))] });

/** Whether a process with this pid exists (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first event that passes `check`. */
function nextEvent(supervisor: Supervisor, check: (e: ServiceEvent) => boolean): Promise<ServiceEvent> {
  return new Promise((resolve) => supervisor.on((e) => check(e) && resolve(e)));
}

/** Bounded wait for a condition that settles asynchronously (a process being reaped). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

describe('dev runner (npm start): supervision', () => {
  const leftovers: number[] = [];
  after(() => {
    for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('restarts a crashed service with a growing back-off, and leaves the others running', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const supervisor = createSupervisor({ services: [fixture('steady'), fixture('crasher')], initialBackoffMs: 20, maxBackoffMs: 80, stopGraceMs: 2_000, write: (l) => lines.push(l) });
    const events: ServiceEvent[] = [];
    supervisor.on((e) => events.push(e));
    const fourthRun = nextEvent(supervisor, (e) => e.type === 'started' && e.name === 'crasher' && e.run === 4);
    const steadyUp = nextEvent(supervisor, (e) => e.type === 'started' && e.name === 'steady');
    supervisor.start();
    const steady = (await steadyUp) as Extract<ServiceEvent, { type: 'started' }>;
    leftovers.push(steady.pid);
    await fourthRun;

    const crashes = events.filter((e): e is Extract<ServiceEvent, { type: 'exited' }> => e.type === 'exited' && e.name === 'crasher');
    assert.deepEqual(crashes.slice(0, 3).map((e) => [e.code, e.restartInMs]), [[3, 20], [3, 40], [3, 80]], 'restarted each time, the delay doubling up to the cap');
    assert.ok(!events.some((e) => e.type === 'exited' && e.name === 'steady'), 'the steady service was never stopped');
    assert.equal(supervisor.pids().steady, steady.pid, 'and is the same process');
    assert.ok(alive(steady.pid));
    assert.ok(lines.some((l) => l.includes('crasher exited (code 3); restarting in 20 ms')));
    assert.ok(lines.some((l) => /^steady\s+\| steady up \d+$/.test(l)), 'output is prefixed with the service name');

    await supervisor.stop();
    assert.deepEqual(Object.values(supervisor.pids()), [null, null]);
    await until(() => !alive(steady.pid), 'the steady service is gone after stop()');
    const exitsAfterStop = events.filter((e) => e.type === 'exited' && e.restartInMs === null);
    assert.ok(exitsAfterStop.some((e) => e.name === 'steady'), 'stopping restarts nothing');
  });

  it('SIGTERM to the runner stops everything it started: stubborn services (SIGKILL after the grace) and grandchildren included', { timeout: 60_000 }, async () => {
    const runner = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/run-supervised.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pids = new Set<number>();
    let grandchild = 0;
    let stderr = '';
    runner.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = new Set<string>();
    let restarted = false;
    const ready = new Promise<void>((resolve) => {
      createInterface({ input: runner.stdout! }).on('line', (line) => {
        const m = /grandchild (\d+)/.exec(line);
        if (m) grandchild = Number(m[1]);
        if (line.startsWith('event ')) {
          const event = JSON.parse(line.slice(6)) as ServiceEvent;
          if (event.type === 'started') {
            pids.add(event.pid);
            started.add(event.name);
            if (event.name === 'crasher' && event.run >= 2) restarted = true;
          }
        }
        if (started.size === 4 && grandchild && restarted) resolve();
      });
    });
    const exited = once(runner, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await Promise.race([ready, exited.then(() => assert.fail(`the runner exited early:\n${stderr}`))]);
    pids.add(grandchild);
    for (const pid of pids) leftovers.push(pid);
    assert.ok(alive(grandchild), 'the grandchild runs');

    runner.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, stderr);
    for (const pid of pids) await until(() => !alive(pid), `process ${pid} is gone after the runner stopped`);
  });
});
