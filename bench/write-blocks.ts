// Alternating before/now blocks of database writes (bench/accounts-final-write.ts,
// bench/payments-order-write.ts): per block, wall time per operation (p50/p99), this process's CPU
// (the Prisma client) and PostgreSQL's CPU (every postgres process, from /proc).
import { readdir, readFile } from 'node:fs/promises';

/** CPU ms used so far by every postgres process on this machine. */
export async function postgresCpuMs(): Promise<number> {
  let ms = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!text || !/^\d+ \(postgres/.test(text)) continue;
    const f = text.split(') ')[1]!.split(' ');
    ms += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  }
  return ms;
}

export type BlockResult = { name: string; latencies: number[]; seconds: number; cpuMs: number; pgMs: number };

/** Runs `op(i)` for i in 0..n-1, `concurrency` at a time, timing each and the block's CPU. */
export async function writeBlock(name: string, n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<BlockResult> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const pg0 = await postgresCpuMs();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { name, latencies, seconds, cpuMs: (cpu.user + cpu.system) / 1000, pgMs: (await postgresCpuMs()) - pg0 };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** The blocks as a markdown table; `unit` names one operation (write, order). */
export function printBlocks(title: string, unit: string, results: readonly BlockResult[]): void {
  console.log(`\n${title}`);
  console.log(`| block | ${unit}s/s | p50 ms | p99 ms | bench CPU ms/${unit} | PostgreSQL CPU ms/${unit} |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const n = r.latencies.length;
    console.log(`| ${r.name} | ${(n / r.seconds).toFixed(0)} | ${pct(r.latencies, 50).toFixed(2)} | ${pct(r.latencies, 99).toFixed(2)} | ${(r.cpuMs / n).toFixed(3)} | ${(r.pgMs / n).toFixed(3)} |`);
  }
}
