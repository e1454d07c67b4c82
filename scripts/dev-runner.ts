// The development runner behind `npm start` (scripts/start.sh ends by exec-ing it): starts every
// subgraph and the gateway as child processes, prefixes their output, restarts one that exits
// (with back-off) without touching the others, and on Ctrl-C/SIGTERM stops everything it started.
//
//   node --import tsx scripts/dev-runner.ts          # the platform (what npm start runs)
//   import { createSupervisor } from './dev-runner'  # any set of commands (the tests use tiny scripts)
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type ServiceSpec = {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
};

export type SupervisorOptions = {
  services: ServiceSpec[];
  /** First restart delay; doubles per crash in a row, up to maxBackoffMs. Default 500 ms. */
  initialBackoffMs?: number;
  /** Longest restart delay. Default 30 s. */
  maxBackoffMs?: number;
  /** A run that lasted this long resets the back-off. Default 30 s. */
  stableAfterMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 10 s. */
  stopGraceMs?: number;
  /** Where prefixed output and the runner's own lines go. Default stdout. */
  write?: (line: string) => void;
};

export type ServiceEvent =
  | { type: 'started'; name: string; pid: number; run: number }
  | { type: 'exited'; name: string; pid: number; code: number | null; signal: NodeJS.Signals | null; restartInMs: number | null };

type Slot = { spec: ServiceSpec; child: ChildProcess | null; exited: Promise<void> | null; run: number; crashes: number; timer: NodeJS.Timeout | null };

export type Supervisor = {
  start(): void;
  /** SIGTERM to every process group it started, SIGKILL after the grace period; resolves once all have exited. */
  stop(): Promise<void>;
  /** Pids of the processes running now, by service. */
  pids(): Record<string, number | null>;
  on(listener: (event: ServiceEvent) => void): void;
};

/**
 * Supervises a set of long-running commands. Each runs in its own process group (detached), so
 * stopping reaches whatever it spawned too, and a crash of one never stops the others: it is
 * restarted after a back-off of initialBackoffMs * 2^(crashes in a row), capped at maxBackoffMs.
 */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const initial = opts.initialBackoffMs ?? 500;
  const max = opts.maxBackoffMs ?? 30_000;
  const stableAfter = opts.stableAfterMs ?? 30_000;
  const grace = opts.stopGraceMs ?? 10_000;
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const width = Math.max(...opts.services.map((s) => s.name.length));
  const listeners: ((event: ServiceEvent) => void)[] = [];
  const emit = (event: ServiceEvent) => listeners.forEach((l) => l(event));
  const slots: Slot[] = opts.services.map((spec) => ({ spec, child: null, exited: null, run: 0, crashes: 0, timer: null }));
  let stopping = false;

  const say = (name: string, text: string) => write(`${name.padEnd(width)} | ${text}`);

  const launch = (slot: Slot) => {
    slot.timer = null;
    if (stopping) return;
    const startedAt = Date.now();
    const child = spawn(slot.spec.command, slot.spec.args, {
      cwd: slot.spec.cwd,
      env: { ...process.env, ...slot.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: stop() signals the group, grandchildren included
    });
    slot.child = child;
    slot.run += 1;
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => say(slot.spec.name, line));
    slot.exited = new Promise<void>((resolve) => {
      let finished = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (finished) return;
        finished = true;
        slot.child = null;
        // Whatever it spawned and left behind in its process group goes with it (no orphans).
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // the group is empty: nothing left behind
          }
        }
        if (Date.now() - startedAt >= stableAfter) slot.crashes = 0;
        let restartInMs: number | null = null;
        if (!stopping) {
          restartInMs = Math.min(max, initial * 2 ** slot.crashes);
          slot.crashes += 1;
          say('runner', `${slot.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${restartInMs} ms`);
          slot.timer = setTimeout(() => launch(slot), restartInMs);
        }
        emit({ type: 'exited', name: slot.spec.name, pid: child.pid ?? -1, code, signal, restartInMs });
        resolve();
      };
      child.once('exit', finish);
      child.once('error', (error) => {
        say('runner', `${slot.spec.name}: ${error.message}`);
        if (child.pid === undefined) finish(null, null); // never started: no exit event will come
      });
    });
    if (child.pid !== undefined) emit({ type: 'started', name: slot.spec.name, pid: child.pid, run: slot.run });
  };

  const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal); // the whole group
    } catch {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  };

  let stopped: Promise<void> | null = null;
  return {
    start() {
      for (const slot of slots) launch(slot);
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const slot of slots) if (slot.timer) clearTimeout(slot.timer);
        const running = slots.filter((s) => s.child);
        for (const slot of running) signalGroup(slot.child!, 'SIGTERM');
        const all = Promise.all(running.map((s) => s.exited));
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), grace)));
        if ((await Promise.race([all, late])) === 'late') {
          for (const slot of running) if (slot.child) signalGroup(slot.child, 'SIGKILL');
          await all;
        }
        clearTimeout(timer);
      })();
      return stopped;
    },
    pids() {
      return Object.fromEntries(slots.map((s) => [s.spec.name, s.child?.pid ?? null]));
    },
    on(listener) {
      listeners.push(listener);
    },
  };
}

/**
 * Makes the current process a supervisor's foreground: SIGINT (Ctrl-C), SIGTERM and SIGHUP stop
 * every service, then the process exits 0; the runner's own crash stops them too (exit 1).
 * Returns whether a stop has begun.
 */
export function stopOnSignals(supervisor: Supervisor, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): () => boolean {
  let shutting = false;
  const shutdown = (why: string, code: number) => {
    if (shutting) return;
    shutting = true;
    write(`runner | ${why}: stopping every service`);
    void supervisor.stop().then(() => {
      write('runner | all services stopped');
      process.exit(code);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal, 0));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`runner | ${error.stack ?? error.message}\n`);
    shutdown('the runner failed', 1);
  });
  process.on('unhandledRejection', (reason) => process.stderr.write(`runner | unhandled rejection: ${String(reason)}\n`));
  return () => shutting;
}

/** The platform: every subgraph of schema/subgraphs.ts, the ledger's outbox relay, the gateway and (outside production) the sandbox bank, each `node --import tsx <main.ts>`. */
async function runPlatform(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { SUBGRAPHS } = await import('../schema/subgraphs');
  const gatewayPort = process.env.GATEWAY_PORT ?? '4000';
  const env = { ...process.env };
  delete env.PORT; // each subgraph has its own default port (schema/subgraphs.ts)
  const node = (entry: string, extra: Record<string, string> = {}) => ({ command: process.execPath, args: ['--import', 'tsx', entry], cwd: root, env: { ...env, ...extra } });
  const supervisor = createSupervisor({
    services: [
      // The ledger's outbox relay runs as its own process (a core of its own beside the writer: it
      // keeps up with batched writes, bench/README.md), so the ledger's in-process relay is off.
      ...SUBGRAPHS.map((s) => ({ name: s.name, ...node(`subgraphs/${s.name}/src/main.ts`, s.name === 'ledger' ? { LEDGER_OUTBOX_RELAY: 'false' } : {}) })),
      { name: 'ledger-relay', ...node('subgraphs/ledger/src/workers/relay-main.ts') },
      { name: 'gateway', ...node('gateway/src/main.ts', { PORT: gatewayPort }) },
      // The counterparty bank the payments subgraph's rails talk to (SPI, STR, a correspondent):
      // development only; production points the rails at real connectors instead.
      ...(env.NODE_ENV === 'production' ? [] : [{ name: 'sandbox-bank', ...node('tools/sandbox-bank/src/main.ts') }]),
    ],
  });
  const stopping = stopOnSignals(supervisor);
  supervisor.start();

  const ready = `http://127.0.0.1:${gatewayPort}/readyz`;
  for (let i = 0; i < 180 && !stopping(); i++) {
    const ok = await fetch(ready, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) {
      process.stdout.write(banner(gatewayPort));
      return;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  if (!stopping()) process.stdout.write(`runner | the gateway is not ready after 3 minutes (${ready}); the services keep running, see their output above\n`);
}

function banner(port: string): string {
  return `
  BaaS supergraph is up.
    GraphQL endpoint : http://localhost:${port}/graphql
    GraphQL IDE      : http://localhost:${port}/ide
    Health/readiness : http://localhost:${port}/healthz  /readyz   Metrics: /metrics
    A token for the IDE (Authorization: Bearer ...), for the sandbox customer:
      npx tsx scripts/mint-token.ts --kind customer --subject 00000000-0000-7000-8000-000000000002 --tenant 00000000-0000-7000-8000-000000000001
    then query: { me { displayName tenant { name } accounts { currency branch number checkDigit } } }
    Stores: bash scripts/services.sh status
    A service that exits is restarted (back-off up to 30 s); Ctrl-C stops them all.

`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runPlatform();
