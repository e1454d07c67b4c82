/** A closed-loop load generator: `concurrency` clients send requests back to back for `requests` in total. */
export type LoadResult = { name: string; requests: number; errors: number; seconds: number; rps: number; p50: number; p95: number; p99: number };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runLoad(opts: { name: string; requests: number; concurrency: number; send: () => Promise<boolean> }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (issued < opts.requests) {
      issued += 1;
      const t0 = process.hrtime.bigint();
      const ok = await opts.send().catch(() => false);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (!ok) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { name: opts.name, requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

export function formatRow(r: LoadResult): string {
  const f = (n: number) => n.toFixed(2).padStart(8);
  return `${r.name.padEnd(34)} ${String(r.requests).padStart(7)} ${String(r.errors).padStart(6)} ${r.rps.toFixed(0).padStart(8)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)}`;
}

export const HEADER = `${'scenario'.padEnd(34)} ${'reqs'.padStart(7)} ${'errors'.padStart(6)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`;
