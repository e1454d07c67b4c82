import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '@baas/testing';

/**
 * startProcess on `port`, or on a free port. A free port is only free when freePort() looked: until
 * the child (a few seconds of tsx start-up) binds it, any process here may take it (an in-process
 * subgraph of another test file binding port 0). The child then dies with EADDRINUSE: start it
 * again on another port (a fixed port, as a restart uses, is tried once).
 */
export async function startProcessOnFreePort(
  name: string,
  base: Record<string, string>,
  port: number,
  sink: ((line: string) => void) | undefined,
  onUnexpectedExit: (code: number | null, signal: string | null, stderr: string) => void,
): Promise<Awaited<ReturnType<typeof startProcess>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startProcess(name, { ...base, PORT: String(port || (await freePort())) }, sink, onUnexpectedExit);
    } catch (error) {
      if (port || attempt >= 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

/** Processes that are not a subgraph's main.ts: the entry under subgraphs/. */
const ENTRIES: Record<string, string> = { 'ledger-relay': 'ledger/src/workers/relay-main.ts' };

/**
 * Runs subgraphs/<name>/src/main.ts (or ENTRIES[name]) in a child process with `env` (its whole configuration) and
 * waits until it answers /healthz. stop() is a graceful SIGTERM; kill() a SIGKILL.
 */
export async function startProcess(
  name: string,
  env: Record<string, string>,
  sink?: (line: string) => void,
  /** With the last 4,000 characters the process wrote to stderr (why it ended, when it said). */
  onUnexpectedExit?: (code: number | null, signal: string | null, stderr: string) => void,
): Promise<{ port: number; url: string; stop(): Promise<void>; kill(): Promise<void> }> {
  const entry = fileURLToPath(new URL(`../../../subgraphs/${ENTRIES[name] ?? `${name}/src/main.ts`}`, import.meta.url));
  const inherited = { ...process.env };
  delete inherited.NODE_TEST_CONTEXT; // the test runner's marker: the child is a service, not a test file
  // TEST_PLATFORM_CPU_PROF=<dir>: a CPU profile of each subgraph process (node names it CPU.<date>.<pid>...; its frames name the subgraph), written when it stops (benchmarks).
  const profileDir = process.env.TEST_PLATFORM_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let portTaken = false;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.includes('EADDRINUSE')) portTaken = true;
    sink?.(line);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let signalled = false;
  let started = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // An exit while starting is the caller's error (thrown below), not an unexpected end.
      if (!signalled && started) onUnexpectedExit?.(code, signal, stderr);
      resolve();
    }),
  );
  const port = Number(env.PORT);
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await exited;
      if (portTaken || stderr.includes('EADDRINUSE')) throw new PortTaken(`${name}: port ${port} was taken before it listened`);
      throw new Error(`${name} exited with ${child.exitCode} while starting:\n${stderr}`);
    }
    // Ours answers with its own name; another process that took the port may answer too.
    const up = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(
      async (r) => r.ok && ((await r.json()) as { service?: string }).service === name,
      () => false,
    );
    if (up && child.exitCode === null) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer /healthz within 60 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  started = true;
  const signal = async (sig: NodeJS.Signals) => {
    signalled = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { port, url, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}
