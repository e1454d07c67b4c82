/**
 * The risk models on CUDA and on CPU, side by side (issue 12): loads models/risk/fraud-gbdt.onnx and
 * credit-scorecard.onnx through @baas/inference twice, once asking for CUDA and once for CPU, checks
 * that both answer the committed golden inputs within 1e-6 of Python's onnxruntime and within 1e-5
 * of each other, and measures rows per second per batch size. Without a GPU (or without the
 * onnxruntime CUDA provider: `ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci` on a host with CUDA 12 and
 * cuDNN 9, packages/inference/README.md) the CUDA load falls back to CPU and the table says so.
 *
 *   npx tsx bench/risk-gpu.ts [seconds per batch size, default 2]
 *
 * Writes its figures as JSON to $OUT/risk-gpu.json when OUT is set (the device machine's folder).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, type LoadedModel, type ProviderPreference } from '@baas/inference';

const MODELS = fileURLToPath(new URL('../models/risk/', import.meta.url));
const BATCHES = [1, 8, 64, 512, 4096];
const seconds = Number(process.argv[2] ?? 2);

type Entry = { name: string; version: string; file: string; sha256: string; output: string };
type Golden = { inputs?: number[][]; woe?: number[][]; onnxruntime: number[][] };
const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as Record<'fraud' | 'credit', Entry>;
const golden = {
  fraud: JSON.parse(readFileSync(join(MODELS, 'golden', 'fraud.json'), 'utf8')) as Golden,
  credit: JSON.parse(readFileSync(join(MODELS, 'golden', 'credit.json'), 'utf8')) as Golden,
};

async function open(kind: 'fraud' | 'credit', provider: ProviderPreference, maxBatchSize: number): Promise<LoadedModel> {
  const e = manifest[kind];
  return loadModel({ model: { name: e.name, version: e.version, path: join(MODELS, e.file), sha256: e.sha256 }, outputName: e.output, provider, maxBatchSize, batchWindowMs: 0 });
}

const maxDiff = (a: readonly Float32Array[], b: readonly (readonly number[] | Float32Array)[]) =>
  a.reduce((m, row, i) => Math.max(m, ...Array.from(row, (v, j) => Math.abs(v - Number(b[i]![j])))), 0);

/** Rows per second at one batch size: whole batches through predictMany for `seconds`. */
async function throughput(model: LoadedModel, rows: readonly number[][], batch: number): Promise<number> {
  const input = Array.from({ length: batch }, (_, i) => rows[i % rows.length]!);
  await model.predictMany(input); // warm
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await model.predictMany(input);
    done += batch;
  }
  return Math.round(done / ((performance.now() - started) / 1000));
}

const report: Record<string, unknown>[] = [];
for (const kind of ['fraud', 'credit'] as const) {
  const rows = (golden[kind].inputs ?? golden[kind].woe)!;
  const outputs: Partial<Record<'cuda' | 'cpu', Float32Array[]>> = {};
  for (const asked of ['cuda', 'cpu'] as const) {
    for (const batch of BATCHES) {
      const model = await open(kind, asked, batch);
      const d = model.describe();
      if (batch === BATCHES[0]) {
        outputs[asked] = await model.predictMany(rows);
        const vsPython = maxDiff(outputs[asked]!, golden[kind].onnxruntime);
        console.log(`${kind} asked ${asked}: runs on ${d.provider}${d.fallbackReason ? ` (fallback: ${d.fallbackReason})` : ''}; max |diff| vs Python ${vsPython.toExponential(2)}`);
        if (vsPython > 1e-6) process.exitCode = 1;
      }
      const rps = await throughput(model, rows, batch);
      report.push({ model: kind, asked, provider: d.provider, batch, rowsPerSecond: rps });
      console.log(`  ${kind.padEnd(6)} ${d.provider.padEnd(4)} batch ${String(batch).padStart(4)}: ${rps.toLocaleString('en-US')} rows/s`);
      await model.close();
    }
  }
  const agree = maxDiff(outputs.cuda!, outputs.cpu!);
  console.log(`${kind}: CUDA-asked vs CPU outputs, max |diff| ${agree.toExponential(2)} (must be <= 1e-5)`);
  if (agree > 1e-5) process.exitCode = 1;
  report.push({ model: kind, cudaVsCpuMaxAbsDiff: agree });
}
if (process.env.OUT) writeFileSync(join(process.env.OUT, 'risk-gpu.json'), JSON.stringify(report, null, 2));
